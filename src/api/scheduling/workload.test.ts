// scheduling.k8s.io Workload: validation messages, update rules, schema and column.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody, invalid, type FieldError } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { podGroupNames, schedulingWorkloadDefinition as def } from './workload.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
const validate = (w: KObject) => render(def.strategy!.validate!(w, ctx));
const validateUpdate = (w: KObject, old: KObject) => render(def.strategy!.validateUpdate!(w, old, ctx));

const workload = (spec: Record<string, unknown>): KObject => ({
  apiVersion: 'scheduling.k8s.io/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'training-job-workload', namespace: 'some-ns' },
  spec,
});
const valid = () =>
  workload({
    controllerRef: { apiGroup: 'batch', kind: 'Job', name: 'training-job' },
    podGroups: [
      { name: 'driver', policy: { basic: {} } },
      { name: 'workers', policy: { gang: { minCount: 4 } } },
    ],
  });

describe('scheduling workload validation', () => {
  it('accepts the documented example, with or without controllerRef', () => {
    assert.deepEqual(validate(valid()), []);
    const w = valid();
    delete (w.spec as Record<string, unknown>).controllerRef;
    assert.deepEqual(validate(w), []);
  });

  it('requires at least one and at most 8 pod groups', () => {
    assert.deepEqual(validate(workload({})), ['spec.podGroups: Required value: must have at least one item']);
    assert.deepEqual(validate(workload({ podGroups: [] })), ['spec.podGroups: Required value: must have at least one item']);
    assert.deepEqual(validate({ metadata: { name: 'x' } }), ['spec.podGroups: Required value: must have at least one item']);
    const nine = Array.from({ length: 9 }, (_, i) => ({ name: `g${i}`, policy: { basic: {} } }));
    assert.deepEqual(validate(workload({ podGroups: nine })), ['spec.podGroups: Too many: 9: must have at most 8 items']);
  });

  it('checks names: DNS label, unique, required', () => {
    const errs = validate(
      workload({
        podGroups: [
          { name: 'workers', policy: { basic: {} } },
          { name: 'workers', policy: { basic: {} } },
          { name: 'Bad_Name', policy: { basic: {} } },
          { policy: { basic: {} } },
        ],
      }),
    );
    assert.equal(errs[0], 'spec.podGroups[1].name: Duplicate value: "workers"');
    assert.match(errs[1], /^spec\.podGroups\[2\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/);
    assert.equal(errs[2], 'spec.podGroups[3].name: Required value');
    assert.equal(errs.length, 3);
  });

  it('requires exactly one policy and a positive gang minCount', () => {
    const errs = validate(
      workload({
        podGroups: [
          { name: 'a', policy: {} },
          { name: 'b', policy: { basic: {}, gang: { minCount: 2 } } },
          { name: 'c', policy: { gang: { minCount: 0 } } },
          { name: 'd', policy: { gang: { minCount: -3 } } },
          { name: 'e', policy: { gang: {} } },
          { name: 'f' },
        ],
      }),
    );
    assert.deepEqual(errs, [
      'spec.podGroups[0].policy: Required value: exactly one of `basic`, `gang` is required',
      'spec.podGroups[1].policy: Invalid value: "{`basic`, `gang`}": exactly one of `basic`, `gang` is required, but multiple fields are set',
      'spec.podGroups[2].policy.gang.minCount: Invalid value: 0: must be greater than 0',
      'spec.podGroups[3].policy.gang.minCount: Invalid value: -3: must be greater than 0',
      'spec.podGroups[4].policy.gang.minCount: Required value',
      'spec.podGroups[5].policy: Required value: exactly one of `basic`, `gang` is required',
    ]);
  });

  it('requires controllerRef kind and name and checks their form', () => {
    assert.deepEqual(validate(workload({ controllerRef: { apiGroup: 'batch' }, podGroups: [{ name: 'a', policy: { basic: {} } }] })), [
      'spec.controllerRef.kind: Required value',
      'spec.controllerRef.name: Required value',
    ]);
    const errs = validate(workload({ controllerRef: { apiGroup: '.x', kind: 'a/b', name: 'ok' }, podGroups: [{ name: 'a', policy: { basic: {} } }] }));
    assert.match(errs[0], /^spec\.controllerRef\.apiGroup: Invalid value: "\.x": a lowercase RFC 1123 subdomain/);
    assert.equal(errs[1], 'spec.controllerRef.kind: Invalid value: "a/b": may not contain \'/\'');
  });

  it('renders one 422 the way kube-apiserver does', () => {
    const err = invalid('Workload', 'scheduling.k8s.io', 'w', def.strategy!.validate!(workload({ podGroups: [] }), ctx));
    assert.equal(err.message, 'Workload.scheduling.k8s.io "w" is invalid: spec.podGroups: Required value: must have at least one item');
  });
});

describe('scheduling workload updates', () => {
  it('keeps pod groups immutable', () => {
    const old = valid();
    const upd = clone(old);
    ((upd.spec as Record<string, any>).podGroups[1].policy.gang as Record<string, number>).minCount = 5;
    const errs = validateUpdate(upd, old);
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.podGroups: Invalid value: \[.*"minCount":5.*\]: field is immutable$/);
    assert.deepEqual(validateUpdate(clone(old), old), []);
  });

  it('allows setting controllerRef once, then freezes it', () => {
    const old = valid();
    delete (old.spec as Record<string, unknown>).controllerRef;
    assert.deepEqual(validateUpdate(valid(), old), []);
    const changed = valid();
    (changed.spec as Record<string, any>).controllerRef.name = 'other';
    assert.deepEqual(validateUpdate(changed, valid()), [
      'spec.controllerRef: Invalid value: {"apiGroup":"batch","kind":"Job","name":"other"}: field is immutable',
    ]);
    const removed = valid();
    delete (removed.spec as Record<string, unknown>).controllerRef;
    assert.deepEqual(validateUpdate(removed, valid()), ['spec.controllerRef: Invalid value: null: field is immutable']);
  });
});

describe('scheduling workload definition', () => {
  it('compiles, validates the example with its schema, and reports type errors only there', () => {
    const cd = compileDefinition(def);
    assert.equal(cd.gv, 'scheduling.k8s.io/v1alpha1');
    assert.equal(cd.qualified, 'workloads.scheduling.k8s.io');
    assert.deepEqual(cd.validator.validate(valid()), []);
    // Missing and empty lists are left to the strategy, so the message is not doubled.
    assert.deepEqual(cd.validator.validate(workload({ podGroups: [] })), []);
    const typeErrs = cd.validator.validate(workload({ podGroups: [{ name: 'a', policy: { gang: { minCount: 'x' } } }] }));
    assert.deepEqual(typeErrs.map((e) => e.field), ['spec.podGroups[0].policy.gang.minCount']);
    assert.deepEqual(validate(workload({ podGroups: [{ name: 'a', policy: { gang: { minCount: 'x' } } }] })), []);
  });

  it('lists pod group names', () => {
    assert.equal(podGroupNames(valid()), 'driver,workers');
    assert.equal(podGroupNames(workload({})), '');
    assert.deepEqual(def.columns!.map((c) => c.name), ['Name', 'Pod Groups', 'Age']);
  });
});
