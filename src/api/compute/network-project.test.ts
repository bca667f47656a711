// Network (CIDR defaulting, validation, immutability) and Project (names, namespace, phase).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody, type FieldError } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { cidrContains, cidrErrors, nthAddress, parseCidr, usableAddresses } from './cidr.js';
import { DEFAULT_NETWORK_CIDR, networkCidr, networkDefinition } from './network.js';
import { projectDefinition, projectNamespace, projectOfNamespace } from './project.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const statusCtx: OperationContext = { ...ctx, subresource: 'status' };
const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('cidr', () => {
  it('parses blocks and names the problems', () => {
    assert.deepEqual(cidrErrors('10.128.0.0/16'), []);
    assert.deepEqual(cidrErrors('10.128.0.0'), ['must be a valid CIDR value, (e.g. 10.128.0.0/16)']);
    assert.deepEqual(cidrErrors('10.256.0.0/16'), ['must be a valid CIDR value, (e.g. 10.128.0.0/16)']);
    assert.deepEqual(cidrErrors('10.1.0.0/33'), ['must be a valid CIDR value, (e.g. 10.128.0.0/16)']);
    assert.deepEqual(cidrErrors('010.1.0.0/16'), ['must be a valid CIDR value, (e.g. 10.128.0.0/16)']);
    assert.deepEqual(cidrErrors('fd00::/64'), ['must be an IPv4 CIDR value, (e.g. 10.128.0.0/16)']);
    assert.deepEqual(cidrErrors('10.128.1.5/16'), ['must be a network address with no host bits set (e.g. "10.128.0.0/16")']);
  });

  it('counts and walks usable addresses', () => {
    const c = parseCidr('10.128.0.0/16')!;
    assert.equal(usableAddresses(c), 65534);
    assert.equal(nthAddress(c, 0), '10.128.0.1');
    assert.equal(nthAddress(c, 65533), '10.128.255.254');
    assert.equal(usableAddresses(parseCidr('192.168.1.0/31')!), 2);
    assert.ok(cidrContains(c, '10.128.200.3'));
    assert.ok(!cidrContains(c, '10.129.0.1'));
  });
});

describe('network', () => {
  const s = networkDefinition.strategy!;
  it('defaults the CIDR and starts the counts', () => {
    const n: KObject = { metadata: { name: 'prod-network', namespace: 'project-p' } };
    s.prepareForCreate!(n, ctx);
    assert.deepEqual(n.spec, { ipam: { cidr: DEFAULT_NETWORK_CIDR } });
    assert.deepEqual(n.status, { allocated: 0, available: 65534 });
    assert.deepEqual(s.validate!(n, ctx), []);
    assert.deepEqual(compileDefinition(networkDefinition).validator.validate(n), []);
  });

  it('rejects a bad CIDR and a changed one', () => {
    const n: KObject = { metadata: { name: 'n', namespace: 'p' }, spec: { ipam: { cidr: '10.0.0.0/40' } } };
    s.prepareForCreate!(n, ctx);
    assert.deepEqual(render(s.validate!(n, ctx)), ['spec.ipam.cidr: Invalid value: "10.0.0.0/40": must be a valid CIDR value, (e.g. 10.128.0.0/16)']);
    const old: KObject = { metadata: { name: 'n', namespace: 'p' }, spec: { ipam: { cidr: '10.1.0.0/16' } } };
    const upd = clone(old);
    (upd.spec as Record<string, any>).ipam.cidr = '10.2.0.0/16';
    assert.deepEqual(render(s.validateUpdate!(upd, old, ctx)), ['spec.ipam.cidr: Invalid value: "10.2.0.0/16": field is immutable']);
    const stat = clone(old);
    stat.status = { allocated: -1 };
    assert.deepEqual(render(s.validateUpdate!(stat, old, statusCtx)), ['status.allocated: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('shows CIDR and allocated addresses', () => {
    const n: KObject = { metadata: { name: 'n' }, spec: { ipam: { cidr: '10.1.0.0/24' } }, status: { allocated: 3, available: 251 } };
    assert.equal(networkCidr({ metadata: {} }), DEFAULT_NETWORK_CIDR);
    assert.deepEqual(
      networkDefinition.columns!.map((c) => `${c.name}${c.priority ? '*' : ''}`),
      ['Name', 'CIDR', 'Allocated', 'Age', 'Available*'],
    );
    assert.deepEqual(networkDefinition.columns!.filter((c) => c.value).map((c) => c.value!(n, 0)), ['10.1.0.0/24', 3, 251]);
  });
});

describe('project', () => {
  const s = projectDefinition.strategy!;
  it('maps names to namespaces and back', () => {
    assert.equal(projectNamespace('myproject'), 'project-myproject');
    assert.equal(projectOfNamespace('project-myproject'), 'myproject');
    assert.equal(projectOfNamespace('default'), undefined);
    assert.equal(projectOfNamespace('project-'), undefined);
  });

  it('records its namespace and phase, Terminating on delete', () => {
    const p: KObject = { metadata: { name: 'myproject' }, spec: { displayName: 'My project' }, status: { phase: 'Terminating' } };
    s.prepareForCreate!(p, ctx);
    assert.deepEqual(p.status, { namespace: 'project-myproject', phase: 'Active' });
    assert.deepEqual(compileDefinition(projectDefinition).validator.validate(p), []);
    assert.deepEqual(projectDefinition.columns!.filter((c) => c.value).map((c) => c.value!(p, 0)), ['project-myproject', 'Active']);
    s.prepareForDelete!(p);
    assert.equal((p.status as Record<string, unknown>).phase, 'Terminating');
  });

  it('limits names so the namespace name stays a DNS label', () => {
    assert.deepEqual(s.validate!({ metadata: { name: 'a'.repeat(55) } }, ctx), []);
    assert.deepEqual(render(s.validate!({ metadata: { name: 'a'.repeat(56) } }, ctx)), [
      `metadata.name: Invalid value: "${'a'.repeat(56)}": must be no more than 55 characters`,
    ]);
    // Past 63 the generic DNS-label check already reports it.
    assert.deepEqual(s.validate!({ metadata: { name: 'a'.repeat(64) } }, ctx), []);
    assert.equal(projectDefinition.nameFormat, 'dns1123-label');
    assert.equal(projectDefinition.namespaced, false);
  });
});
