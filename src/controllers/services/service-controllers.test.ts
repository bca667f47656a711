// Services against a real in-process registry, the real scheduler and
// simulated nodes: cluster IP and node port allocation with kube's messages,
// Endpoints and EndpointSlices following the selected pods' readiness (via a
// readiness gate the test flips), named target ports, and cleanup.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCidr, cidrContains } from '../../api/compute/cidr.js';
import type { KObject } from '../../api/object.js';
import { eventually } from '../../client/testing.js';
import { startWorkloadEnv, type WorkloadTestEnv } from '../apps/testing.js';
import { ENDPOINTS, ENDPOINT_SLICES, PODS, SERVICES } from './resources.js';

type Obj = Record<string, unknown>;
const GATE = 'example.com/serving';

const svc = (ns: string, name: string, spec: Obj): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
const backend = (ns: string, name: string, labels: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { readinessGates: [{ conditionType: GATE }], containers: [{ name: 'web', image: 'nginx:1', ports: [{ name: 'http', containerPort: 8080 }] }] },
});

describe('services', () => {
  let env: WorkloadTestEnv;
  before(async () => {
    env = await startWorkloadEnv({ nodes: 2, controllers: { apps: false, batch: false, services: true } });
  });
  after(async () => {
    await env.close();
  });

  const services = () => env.api.client.resource(SERVICES);
  const pods = () => env.api.client.resource(PODS);
  const spec = (o: KObject | undefined) => (o?.spec ?? {}) as Obj;

  const setGate = async (ns: string, name: string, ok: boolean) => {
    const p = (await pods().get(ns, name))!;
    const st = (p.status ?? {}) as Obj;
    const conds = ((st.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== GATE);
    await pods().updateStatus(ns, { ...p, status: { ...st, conditions: [...conds, { type: GATE, status: ok ? 'True' : 'False' }] } });
  };

  it('allocates distinct cluster IPs from 10.96.0.0/12; refuses taken or out-of-range ones with kube messages; keeps them on update', async () => {
    const ns = 'alloc';
    const range = parseCidr('10.96.0.0/12')!;
    const made = await Promise.all(Array.from({ length: 40 }, (_, i) => services().create(ns, svc(ns, `s${i}`, { ports: [{ port: 80 }] }))));
    const ips = made.map((s) => String(spec(s).clusterIP));
    assert.equal(new Set(ips).size, 40);
    for (const ip of ips) assert.ok(cidrContains(range, ip), ip);
    for (const s of made) assert.deepEqual(spec(s).clusterIPs, [spec(s).clusterIP]);
    assert.deepEqual([spec(made[0]).type, spec(made[0]).ipFamilies, spec(made[0]).ipFamilyPolicy, (spec(made[0]).ports as Obj[])[0].targetPort], ['ClusterIP', ['IPv4'], 'SingleStack', 80]);
    await assert.rejects(services().create(ns, svc(ns, 'dup', { clusterIP: ips[0], ports: [{ port: 80 }] })), (e: Error) => {
      assert.match(e.message, new RegExp(`spec\\.clusterIPs: Invalid value: .*failed to allocate IP ${ips[0].replace(/\./g, '\\.')}: provided IP is already allocated`));
      return true;
    });
    await assert.rejects(services().create(ns, svc(ns, 'far', { clusterIP: '10.0.0.1', ports: [{ port: 80 }] })), /the provided IP \(10\.0\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/);
    await assert.rejects(services().create(ns, svc(ns, 'noports', {})), /spec\.ports: Required value/);
    const fixed = await services().create(ns, svc(ns, 'fixed', { clusterIP: '10.96.100.100', ports: [{ port: 80 }] }));
    assert.equal(spec(fixed).clusterIP, '10.96.100.100');
    const replaced = await services().update(ns, { ...fixed, spec: { ports: [{ port: 81 }] } });
    assert.equal(spec(replaced).clusterIP, '10.96.100.100', 'an update that omits the IP keeps it');
    await assert.rejects(services().patch(ns, 'fixed', 'merge', { spec: { clusterIP: '10.96.100.101' } }), /spec\.clusterIPs\[0\]: Invalid value: "10\.96\.100\.101": may not change once set/);
    await services().delete(ns, 'fixed');
    await eventually(async () => {
      try {
        await services().create(ns, svc(ns, 'again', { clusterIP: '10.96.100.100', ports: [{ port: 80 }] }));
        return true;
      } catch {
        return false;
      }
    }, 'a deleted Service frees its IP');
  });

  it('allocates node ports for NodePort services and refuses a taken one', async () => {
    const ns = 'nodeport';
    const a = await services().create(ns, svc(ns, 'a', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }));
    const ports = (spec(a).ports as Obj[]).map((p) => Number(p.nodePort));
    assert.equal(new Set(ports).size, 2);
    for (const p of ports) assert.ok(p >= 30000 && p <= 32767, String(p));
    assert.equal(spec(a).externalTrafficPolicy, 'Cluster');
    await assert.rejects(services().create(ns, svc(ns, 'b', { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] })), /spec\.ports\[0\]\.nodePort: Invalid value: \d+: provided port is already allocated/);
    await assert.rejects(services().create(ns, svc(ns, 'c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })), /provided port is not in the valid range\. The range of valid ports is 30000-32767/);
    await assert.rejects(services().create(ns, svc(ns, 'd', { ports: [{ port: 80, nodePort: 30001 }] })), /spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
  });

  it('keeps Endpoints and EndpointSlices from the selected pods, following readiness and named target ports', async () => {
    const ns = 'backends';
    await services().create(ns, svc(ns, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    for (const n of ['web-a', 'web-b']) await pods().create(ns, backend(ns, n, { app: 'web' }));
    await pods().create(ns, backend(ns, 'other', { app: 'other' }));
    const ipOf = async (n: string) => String(((await pods().get(ns, n))?.status as Obj | undefined)?.podIP ?? '');
    await eventually(async () => (await ipOf('web-a')) !== '' && (await ipOf('web-b')) !== '', 'pods running with IPs', 20_000);
    const a = await ipOf('web-a');
    const b = await ipOf('web-b');

    const slices = async () => (await env.api.client.resource(ENDPOINT_SLICES).list(ns, { labelSelector: 'kubernetes.io/service-name=web' })).items;
    const endpoints = () => env.api.client.resource(ENDPOINTS).get(ns, 'web');
    const sliceState = async () => {
      const ss = await slices();
      return ss.flatMap((s) => ((s.endpoints as Obj[]) ?? []).map((e) => `${(e.addresses as string[])[0]}:${String((e.conditions as Obj).ready)}`)).sort().join(' ');
    };
    // Not ready yet: the readiness gate holds them back.
    await eventually(async () => (await sliceState()) === [`${a}:false`, `${b}:false`].sort().join(' '), 'not-ready endpoints in the slice');
    await eventually(async () => ((await endpoints())?.subsets as Obj[] | undefined)?.[0]?.notReadyAddresses !== undefined, 'not-ready Endpoints');
    const [slice] = await slices();
    assert.equal(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.match(slice.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.equal(slice.metadata.ownerReferences?.[0].kind, 'Service');

    await setGate(ns, 'web-a', true);
    await eventually(async () => (await sliceState()) === [`${a}:true`, `${b}:false`].sort().join(' '), 'web-a ready');
    await eventually(async () => {
      const s = ((await endpoints())?.subsets as Obj[] | undefined)?.[0];
      return (s?.addresses as Obj[] | undefined)?.map((x) => x.ip).join() === a && (s?.notReadyAddresses as Obj[] | undefined)?.map((x) => x.ip).join() === b;
    }, 'Endpoints split ready / not ready');
    await setGate(ns, 'web-b', true);
    await setGate(ns, 'web-a', false);
    await eventually(async () => (await sliceState()) === [`${a}:false`, `${b}:true`].sort().join(' '), 'readiness followed');
    await pods().patch(ns, 'web-b', 'merge', { metadata: { labels: { app: 'moved' } } });
    await eventually(async () => (await sliceState()) === `${a}:false`, 'a pod whose labels stop matching leaves');
    await services().delete(ns, 'web');
    await eventually(async () => (await endpoints()) === undefined && (await slices()).length === 0, 'Endpoints and slices go with the Service', 20_000);
  });
});
