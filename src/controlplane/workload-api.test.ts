import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseServeArgs } from '../cli/serve.js';
import { servedDefinitions } from './control-plane.js';
import { serveOptions, type ServeOptions } from './options.js';
import { bareWorkloadGroup, isWorkloadKind, orderForWorkloadApi, workloadApiFrom } from './workload-api.js';

/** The groups of the Workload kinds, in discovery order. */
const workloadGroups = (o: Partial<ServeOptions>) => servedDefinitions(serveOptions(o)).filter(isWorkloadKind).map((d) => d.group);
const groupOrder = (o: Partial<ServeOptions>) => [...new Set(servedDefinitions(serveOptions(o)).map((d) => d.group))];

describe('--workload-api', () => {
  it('keeps kuma.io first by default and puts the chosen group first otherwise', () => {
    assert.deepEqual(workloadGroups({}), ['kuma.io', 'compute.miloapis.com', 'scheduling.k8s.io']);
    assert.deepEqual(workloadGroups({ workloadApi: 'kuma' }), ['kuma.io', 'compute.miloapis.com', 'scheduling.k8s.io']);
    assert.deepEqual(workloadGroups({ workloadApi: 'compute' }), ['compute.miloapis.com', 'kuma.io', 'scheduling.k8s.io']);
    assert.deepEqual(workloadGroups({ workloadApi: 'scheduling' }), ['scheduling.k8s.io', 'kuma.io', 'compute.miloapis.com']);
    assert.equal(bareWorkloadGroup(servedDefinitions(serveOptions({ workloadApi: 'compute' }))), 'compute.miloapis.com');
  });

  it('moves only the chosen group; the rest keep their order', () => {
    const def = groupOrder({});
    const compute = groupOrder({ workloadApi: 'compute' });
    assert.deepEqual(compute, [...def.slice(0, def.indexOf('kuma.io')), 'compute.miloapis.com', ...def.slice(def.indexOf('kuma.io')).filter((g) => g !== 'compute.miloapis.com')]);
    assert.equal(servedDefinitions(serveOptions({ workloadApi: 'compute' })).length, servedDefinitions(serveOptions({})).length);
  });

  it('the next group takes the bare name when the default one is switched off; a chosen group switched off is an error', () => {
    assert.deepEqual(workloadGroups({ runtimeConfig: { 'kuma.io/v1alpha1': false } }), ['compute.miloapis.com', 'scheduling.k8s.io']);
    assert.throws(
      () => servedDefinitions(serveOptions({ workloadApi: 'kuma', runtimeConfig: { 'kuma.io/v1alpha1': false } })),
      /--workload-api kuma: kuma\.io Workloads are not served/,
    );
    assert.throws(() => servedDefinitions(serveOptions({ workloadApi: 'scheduling', featureGates: { GenericWorkload: false } })), /scheduling\.k8s\.io Workloads are not served/);
    assert.deepEqual(orderForWorkloadApi([], undefined), []);
  });

  it('comes from the flag, else the config file key workloadApi, else its environment variable', () => {
    assert.equal(workloadApiFrom('compute', { workloadApi: 'scheduling' }, {}), 'compute');
    assert.equal(workloadApiFrom(undefined, { workloadApi: 'scheduling' }, {}), 'scheduling');
    assert.equal(workloadApiFrom(undefined, {}, { WORKPLANE_WORKLOAD_API: 'compute' }), 'compute');
    assert.equal(workloadApiFrom(undefined, {}, {}), undefined);
    assert.throws(() => workloadApiFrom('milo', {}, {}), /--workload-api must be kuma, compute or scheduling, not "milo"/);
    assert.throws(() => workloadApiFrom(undefined, { workloadApi: 3 }, {}), /config workloadApi must be kuma, compute or scheduling, not 3/);
  });

  it('workplane serve reads --workload-api and the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workplane-wlapi-'));
    try {
      const cfg = join(dir, 'config.yaml');
      writeFileSync(cfg, 'workloadApi: compute\n');
      const fromFile = parseServeArgs(['--config', cfg]);
      assert.ok(fromFile !== 'help');
      assert.equal(fromFile.workloadApi, 'compute');
      const fromFlag = parseServeArgs(['--config', cfg, '--workload-api', 'scheduling']);
      assert.ok(fromFlag !== 'help');
      assert.equal(fromFlag.workloadApi, 'scheduling');
      assert.throws(() => parseServeArgs(['--workload-api', 'datum']), /--workload-api must be kuma, compute or scheduling/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
