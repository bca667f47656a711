import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { isPodMeshed, podMesh, podWorkload, sanitizeWorkloadName, sidecarInjection } from './pod-mesh.js';

const obj = (labels: Record<string, string> = {}, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'x', namespace: 'ns', labels, annotations },
  spec,
});

describe('pod mesh facts', () => {
  it('is meshed by its own label or its namespace', () => {
    assert.equal(isPodMeshed(obj({ 'kuma.io/sidecar-injection': 'enabled' }), obj()), true);
    assert.equal(isPodMeshed(obj(), obj({ 'kuma.io/sidecar-injection': 'enabled' })), true);
    assert.equal(isPodMeshed(obj({ 'kuma.io/sidecar-injection': 'disabled' }), undefined), false);
    assert.equal(isPodMeshed(obj(), obj()), false);
  });

  it('reads kuma.io/sidecar-injection as Kuma does: enabled/true/yes mesh, disabled/false/no do not', () => {
    const inj = (v: string) => ({ 'kuma.io/sidecar-injection': v });
    for (const v of ['enabled', 'true', 'yes']) {
      assert.equal(isPodMeshed(obj(inj(v)), obj()), true, `pod ${v}`);
      assert.equal(isPodMeshed(obj(), obj(inj(v))), true, `namespace ${v}`);
    }
    for (const v of ['disabled', 'false', 'no']) {
      assert.equal(isPodMeshed(obj(inj(v)), obj(inj('enabled'))), false, `pod ${v} wins over its namespace`);
      assert.equal(isPodMeshed(obj(), obj(inj(v))), false, `namespace ${v}`);
    }
    assert.equal(isPodMeshed(obj(inj('yes')), obj(inj('no'))), true, 'the pod opts in inside an opted-out namespace');
    assert.deepEqual(sidecarInjection(obj(inj('Enabled')), obj()), { meshed: false, from: 'pod', invalid: 'Enabled' }, 'values are case-sensitive');
    assert.deepEqual(sidecarInjection(obj(), obj(inj('on'))), { meshed: false, from: 'namespace', invalid: 'on' });
    assert.deepEqual(sidecarInjection(obj(), undefined), { meshed: false });
  });

  it('takes the mesh from the pod, then the namespace, then default', () => {
    assert.equal(podMesh(obj({ 'kuma.io/mesh': 'a' }), obj({ 'kuma.io/mesh': 'b' })), 'a');
    assert.equal(podMesh(obj({}, { 'kuma.io/mesh': 'a' }), obj({ 'kuma.io/mesh': 'b' })), 'a');
    assert.equal(podMesh(obj(), obj({ 'kuma.io/mesh': 'b' })), 'b');
    assert.equal(podMesh(obj(), obj({}, { 'kuma.io/mesh': 'c' })), 'c');
    assert.equal(podMesh(obj(), undefined), 'default');
  });

  it('derives the workload: annotation, then workloadLabels in order, then the ServiceAccount', () => {
    const labels = ['app.kubernetes.io/name', 'app'];
    const sa = { serviceAccountName: 'runner' };
    assert.equal(podWorkload(obj({ app: 'by-app', 'app.kubernetes.io/name': 'by-name' }, { 'kuma.io/workload': 'by-annotation' }, sa), labels), 'by-annotation');
    assert.equal(podWorkload(obj({ app: 'by-app', 'app.kubernetes.io/name': 'by-name' }, {}, sa), labels), 'by-name');
    assert.equal(podWorkload(obj({ app: 'by-app', 'app.kubernetes.io/name': '' }, {}, sa), labels), 'by-app');
    assert.equal(podWorkload(obj({ app: 'by-app' }, {}, sa), []), 'runner', 'labels count only when configured');
    assert.equal(podWorkload(obj({ other: 'x' }, {}, sa), labels), 'runner');
    assert.equal(podWorkload(obj(), labels), 'default', 'no ServiceAccount means default');
  });

  it('makes label values and ServiceAccount names DNS-1035 labels', () => {
    assert.equal(sanitizeWorkloadName('demo-workload'), 'demo-workload');
    assert.equal(sanitizeWorkloadName('My_App.v2'), 'my-app-v2');
    assert.equal(sanitizeWorkloadName('2fa-svc'), 'fa-svc');
    assert.equal(sanitizeWorkloadName('123'), '');
    assert.equal(sanitizeWorkloadName(`a${'b'.repeat(70)}`).length, 63);
    assert.equal(sanitizeWorkloadName(`${'a'.repeat(62)}.b`), 'a'.repeat(62));
    assert.equal(podWorkload(obj({ app: '123' }, {}, { serviceAccountName: 'build.bot' }), ['app']), 'build-bot');
  });
});
