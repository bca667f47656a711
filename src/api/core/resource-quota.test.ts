// ResourceQuota: quantity validation, canonical storage, status-only writes, REQUEST/LIMIT cells.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody, type FieldError } from '../errors.js';
import type { KObject } from '../object.js';
import { isIntegerQuotaResource, quotaLimitCell, quotaRequestCell, resourceQuotaDefinition as def } from './resource-quota.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
const s = def.strategy!;
const quota = (hard: Record<string, unknown>): KObject => ({ metadata: { name: 'compute', namespace: 'project-p' }, spec: { hard } });

describe('resource quota strategy', () => {
  it('stores quantities canonically and drops client status on create', () => {
    const q = quota({ pods: 10, 'requests.cpu': '1000m', 'requests.memory': '1024Mi', 'limits.cpu': '2', 'count/secrets': '5' });
    q.status = { used: { pods: '99' } };
    s.prepareForCreate!(q, ctx);
    assert.deepEqual((q.spec as Record<string, unknown>).hard, {
      pods: '10',
      'requests.cpu': '1',
      'requests.memory': '1Gi',
      'limits.cpu': '2',
      'count/secrets': '5',
    });
    assert.equal(q.status, undefined);
    assert.deepEqual(s.validate!(q, ctx), []);
    assert.deepEqual(compileDefinition(def).validator.validate(q), []);
  });

  it('rejects unknown names, negative amounts and fractional counts', () => {
    const q = quota({ gpus: '1', 'requests.cpu': '-1', pods: '1500m', 'count/pods': '0.5', 'bad name!': '1' });
    s.prepareForCreate!(q, ctx);
    const errs = render(s.validate!(q, ctx));
    assert.equal(errs[0], 'spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota');
    assert.equal(errs[1], 'spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0');
    assert.equal(errs[2], 'spec.hard[pods]: Invalid value: "1500m": must be an integer');
    assert.equal(errs[3], 'spec.hard[count/pods]: Invalid value: "500m": must be an integer');
    assert.match(errs[4], /^spec\.hard\[bad name!\]: Invalid value: "bad name!": name part must consist of/);
    assert.ok(isIntegerQuotaResource('count/deployments.apps'));
    assert.ok(!isIntegerQuotaResource('requests.cpu'));
  });

  it('leaves malformed quantities to the schema, reported once', () => {
    const q = quota({ pods: 'lots' });
    assert.deepEqual(s.validate!(q, ctx), []);
    assert.deepEqual(compileDefinition(def).validator.validate(q).map((e) => e.field), ['spec.hard.pods']);
  });

  it('validates status lists on status writes only', () => {
    const q = quota({ pods: '10' });
    q.status = { hard: { pods: '10' }, used: { pods: '-1' } };
    const statusCtx = { ...ctx, subresource: 'status' };
    assert.deepEqual(render(s.validateUpdate!(q, q, statusCtx)), ['status.used[pods]: Invalid value: "-1": must be greater than or equal to 0']);
    assert.deepEqual(s.validateUpdate!(q, q, ctx), []);
  });
});

describe('resource quota table', () => {
  it('has kube\'s columns', () => {
    assert.deepEqual(def.columns!.map((c) => c.name), ['Name', 'Age', 'Request', 'Limit']);
    assert.deepEqual(def.shortNames, ['quota']);
  });

  it('renders used/hard from status, sorted, limits apart', () => {
    const q: KObject = {
      metadata: { name: 'compute' },
      status: {
        hard: { 'requests.cpu': '1', pods: '10', 'limits.cpu': '2', 'limits.memory': '1Gi', 'requests.memory': '512Mi' },
        used: { 'requests.cpu': '500m', pods: '1', 'requests.memory': '128Mi' },
      },
    };
    assert.equal(quotaRequestCell(q), 'pods: 1/10, requests.cpu: 500m/1, requests.memory: 128Mi/512Mi');
    assert.equal(quotaLimitCell(q), 'limits.cpu: 0/2, limits.memory: 0/1Gi');
    assert.equal(quotaRequestCell({ metadata: {} }), '');
  });
});
