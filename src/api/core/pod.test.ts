// Pod strategy hooks: defaulting, status handling, update rules, graceful deletion.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { imageTag } from './pod-defaults.js';
import { podDefinition, podGracePeriod } from './pod.js';
import { POD_UPDATE_FORBIDDEN } from './pod-update.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const strategy = podDefinition.strategy!;

function created(spec: Record<string, unknown>): KObject {
  const p: KObject = { metadata: { name: 'p', namespace: 'default' }, spec, status: { phase: 'Running' } };
  strategy.prepareForCreate!(p, ctx);
  return p;
}

describe('pod strategy', () => {
  it('defaults the spec and resets status on create', () => {
    const p = created({ containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '0.5', memory: '1Gi' } } }] });
    const spec = p.spec as Record<string, any>;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    const c = spec.containers[0];
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.equal(c.ports[0].protocol, 'TCP');
    assert.deepEqual(c.resources.requests, { cpu: '500m', memory: '1Gi' });
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'Guaranteed' });
    assert.deepEqual(strategy.validate!(p, ctx), []);
  });

  it('derives imagePullPolicy from the tag', () => {
    assert.equal(imageTag('nginx'), 'latest');
    assert.equal(imageTag('registry:5000/team/app:1.2'), '1.2');
    assert.equal(imageTag('registry:5000/team/app'), 'latest');
    assert.equal(imageTag('app@sha256:abc'), '');
    const spec = created({ containers: [{ name: 'a', image: 'nginx:1.27' }] }).spec as Record<string, any>;
    assert.equal(spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  it('keeps status on spec updates and spec on status updates', () => {
    const old = created({ containers: [{ name: 'a', image: 'nginx:1' }] });
    old.status = { phase: 'Running', qosClass: 'BestEffort' };
    const upd = clone(old);
    upd.status = { phase: 'Failed' };
    strategy.prepareForUpdate!(upd, old, ctx);
    assert.deepEqual(upd.status, old.status);

    const st = clone(old);
    st.spec = { containers: [] };
    st.status = { phase: 'Succeeded' };
    strategy.prepareForUpdate!(st, old, { ...ctx, subresource: 'status' });
    assert.deepEqual(st.spec, old.spec);
    assert.deepEqual(st.status, { phase: 'Succeeded', qosClass: 'BestEffort' });
  });

  it('allows image changes but forbids other spec changes', () => {
    const old = created({ containers: [{ name: 'a', image: 'nginx:1' }] });
    const imageOnly = clone(old);
    (imageOnly.spec as any).containers[0].image = 'nginx:2';
    strategy.prepareForUpdate!(imageOnly, old, ctx);
    assert.deepEqual(strategy.validateUpdate!(imageOnly, old, ctx), []);

    const other = clone(old);
    (other.spec as any).nodeName = 'n1';
    strategy.prepareForUpdate!(other, old, ctx);
    const errs = strategy.validateUpdate!(other, old, ctx);
    assert.equal(errs.length, 1);
    assert.equal(errs[0].field, 'spec');
    assert.ok(fieldErrorBody(errs[0]).startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN}\n`));
    assert.match(fieldErrorBody(errs[0]), /\+ spec\.nodeName: "n1"/);

    const added = clone(old);
    (added.spec as any).containers.push({ name: 'b', image: 'x' });
    assert.deepEqual(
      strategy.validateUpdate!(added, old, ctx).map((e) => `${e.field}: ${fieldErrorBody(e)}`),
      ['spec.containers: Forbidden: pod updates may not add or remove containers'],
    );
  });

  it('keeps workloadRef immutable', () => {
    const old = created({ containers: [{ name: 'a', image: 'x:1' }], workloadRef: { name: 'job', podGroup: 'workers' } });
    const upd = clone(old);
    (upd.spec as any).workloadRef = { name: 'job', podGroup: 'drivers' };
    const errs = strategy.validateUpdate!(upd, old, ctx);
    assert.deepEqual(errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`), [
      'spec.workloadRef: Invalid value: {"name":"job","podGroup":"drivers"}: field is immutable',
    ]);
  });

  it('allows added tolerations only', () => {
    const old = created({ containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ key: 'k', operator: 'Exists' }] });
    const more = clone(old);
    (more.spec as any).tolerations.push({ key: 'j', operator: 'Exists' });
    assert.deepEqual(strategy.validateUpdate!(more, old, ctx), []);
    const secs = created({ containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] });
    const unbounded = clone(secs);
    delete (unbounded.spec as any).tolerations[0].tolerationSeconds;
    assert.deepEqual(strategy.validateUpdate!(unbounded, secs, ctx), []);
    const fewer = clone(old);
    (fewer.spec as any).tolerations = [];
    assert.equal(strategy.validateUpdate!(fewer, old, ctx)[0].detail, 'existing toleration can not be modified except its tolerationSeconds');
  });

  it('deletes gracefully only bound, running pods', () => {
    const p = created({ containers: [{ name: 'a', image: 'x' }] });
    assert.equal(podGracePeriod(p, undefined), undefined);
    (p.spec as any).nodeName = 'n1';
    assert.equal(podGracePeriod(p, undefined), 30);
    assert.equal(podGracePeriod(p, 5), 5);
    assert.equal(podGracePeriod(p, 0), undefined);
    (p.spec as any).terminationGracePeriodSeconds = 0;
    assert.equal(podGracePeriod(p, undefined), undefined);
    (p.status as any).phase = 'Succeeded';
    assert.equal(podGracePeriod(p, 10), undefined);
  });

  it('selects by spec and status fields, empty when unset', () => {
    const p = created({ containers: [{ name: 'a', image: 'x' }] });
    const f = podDefinition.selectableFields!;
    assert.equal(f['spec.nodeName'](p), '');
    assert.equal(f['status.phase'](p), 'Pending');
    assert.equal(f['spec.restartPolicy'](p), 'Always');
  });
});
