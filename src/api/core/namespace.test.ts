// Namespace lifecycle hooks: finalizers, phase, finalize subresource.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationContext } from '../definition.js';
import { clone, type KObject } from '../object.js';
import { namespaceDefinition } from './namespace.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const strategy = namespaceDefinition.strategy!;

describe('namespace strategy', () => {
  it('adds the kubernetes finalizer, Active phase and name label on create', () => {
    const ns: KObject = { metadata: { name: 'team-a' } };
    strategy.prepareForCreate!(ns, ctx);
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'team-a');
    assert.deepEqual(strategy.validate!(ns, ctx), []);
  });

  it('becomes Terminating on delete and waits for spec.finalizers', () => {
    const ns: KObject = { metadata: { name: 'a' } };
    strategy.prepareForCreate!(ns, ctx);
    strategy.prepareForDelete!(ns);
    assert.equal((ns.status as any).phase, 'Terminating');
    assert.equal(strategy.pendingFinalization!(ns), true);
    const fin = clone(ns);
    fin.spec = { finalizers: [] };
    strategy.prepareForUpdate!(fin, ns, { ...ctx, subresource: 'finalize' });
    assert.equal(strategy.pendingFinalization!(fin), false);
    assert.deepEqual(fin.status, ns.status);
  });

  it('ignores spec.finalizers changes outside finalize', () => {
    const ns: KObject = { metadata: { name: 'a' } };
    strategy.prepareForCreate!(ns, ctx);
    const upd = clone(ns);
    upd.spec = { finalizers: [] };
    strategy.prepareForUpdate!(upd, ns, ctx);
    assert.deepEqual(upd.spec, { finalizers: ['kubernetes'] });
  });

  it('rejects unqualified non-standard finalizers', () => {
    const errs = strategy.validate!({ metadata: { name: 'a' }, spec: { finalizers: ['custom'] } }, ctx);
    assert.deepEqual(errs.map((e) => e.detail), ['name is neither a standard finalizer name nor is it fully qualified']);
  });
});
