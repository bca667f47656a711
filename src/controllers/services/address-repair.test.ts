// The address records against a real in-process registry: a Service's
// addresses are recorded before it is stored, released when it goes, a
// record left by a failed write is cleaned up once past its grace period, a
// missing record is restored, and a user's own IPAddress reserves its address.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import { ipAddressDefinition } from '../../api/networking/ip-address.js';
import type { KObject } from '../../api/object.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { silentLogger } from '../../client/logger.js';
import { StoredAddressBook } from './address-book.js';
import { AddressRepair, runAddressRepair } from './address-repair.js';
import { SERVICES } from './resources.js';
import { ServiceAllocator, serviceAllocationAdmission } from './service-allocation.js';
import { serviceRanges } from './service-ranges.js';

const IPS = { group: 'networking.k8s.io', version: 'v1', resource: 'ipaddresses' };
const svc = (name: string, spec: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } });

describe('address records', () => {
  let api: TestApi;
  let allocator: ServiceAllocator;
  const abort = new AbortController();
  let running: Promise<void>;
  const services = () => api.client.resource(SERVICES);
  const ips = () => api.client.resource(IPS);
  const holderOf = async (ip: string) => ((await ips().get(undefined, ip))?.spec as { parentRef?: { name: string } } | undefined)?.parentRef?.name;
  const listServices = async () => (await services().list()).items;

  before(async () => {
    api = await startTestApi([...coreDefinitions, ipAddressDefinition]);
    allocator = new ServiceAllocator(serviceRanges('10.96.0.0/24', '30000-30099'), new StoredAddressBook(api.registry));
    api.admission.register(serviceAllocationAdmission(api.registry, allocator));
    running = runAddressRepair(api.client, allocator, abort.signal, { log: silentLogger, intervalMs: 3_600_000 });
  });
  after(async () => {
    abort.abort();
    await running;
    await api.close();
  });

  it('records a Service\'s cluster IP and node ports before storing it, and releases them when it is deleted', async () => {
    const a = await services().create('default', svc('a', { type: 'NodePort' }));
    const ip = String((a.spec as { clusterIP: string }).clusterIP);
    const port = String((a.spec as { ports: { nodePort: number }[] }).ports[0].nodePort);
    assert.equal(await holderOf(ip), 'a');
    assert.ok((await allocator.book.records('port')).get(port)?.holder?.name === 'a');
    await services().delete('default', 'a');
    await eventually(async () => (await ips().get(undefined, ip)) === undefined && !(await allocator.book.records('port')).has(port), 'records released');
  });

  it('a record whose Service never came is released after its grace period, not before', async () => {
    const claim = await allocator.book.claim('ip', '10.96.0.77', { namespace: 'default', name: 'ghost' });
    assert.equal(claim.outcome, 'created');
    await new AddressRepair(allocator, () => [], { log: silentLogger, graceMs: 60_000 }).repair();
    assert.equal(await holderOf('10.96.0.77'), 'ghost', 'a create in flight keeps its record');
    await new AddressRepair(allocator, () => [], { log: silentLogger, graceMs: 60_000 }).repair(Date.now() + 61_000);
    assert.equal(await ips().get(undefined, '10.96.0.77'), undefined);
  });

  it('a Service whose record is missing gets it back; another Service cannot take the address meanwhile once repaired', async () => {
    const b = await services().create('default', svc('b', { clusterIP: '10.96.0.50' }));
    const rec = (await allocator.book.records('ip')).get('10.96.0.50')!;
    await allocator.book.release('ip', '10.96.0.50', rec.uid);
    const now = await listServices();
    await new AddressRepair(allocator, () => now, { log: silentLogger }).repair();
    assert.equal(await holderOf('10.96.0.50'), 'b');
    await assert.rejects(services().create('default', svc('c', { clusterIP: '10.96.0.50' })), /provided IP is already allocated/);
    assert.equal((b.spec as { clusterIP: string }).clusterIP, '10.96.0.50');
  });

  it('an IPAddress a user made reserves its address and is never repaired away', async () => {
    await ips().create(undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: '10.96.0.60' }, spec: { parentRef: { group: 'example.com', resource: 'gateways', name: 'edge' } } });
    await assert.rejects(services().create('default', svc('d', { clusterIP: '10.96.0.60' })), /provided IP is already allocated/);
    const now = await listServices();
    await new AddressRepair(allocator, () => now, { log: silentLogger, graceMs: 0 }).repair();
    assert.ok(await ips().get(undefined, '10.96.0.60'));
    await assert.rejects(ips().create(undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: '10.96.0.061' }, spec: {} }), /must be a canonical format IP address[\s\S]*spec\.parentRef: Required value|spec\.parentRef: Required value[\s\S]*canonical/);
  });

  it('a refused Service leaves no record behind', async () => {
    const before = (await allocator.book.records('ip')).size;
    await assert.rejects(services().create('default', svc('e', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })), /provided port is not in the valid range/);
    assert.equal((await allocator.book.records('ip')).size, before);
  });
});
