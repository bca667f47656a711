// Seed 004's story with its Job: the Workload `training-job-workload` names
// the batch/v1 Job `training-job` as its controller, and the Job's four
// Indexed pods join the gang through spec.workloadRef. On `process` runtime
// nodes (which the pods select and tolerate, as the README says) with room
// for three 3-cpu workers none binds, and each pod says why;
// a fourth node from another `workplane agent` lets all four bind together;
// their real processes exit 0 and the Job completes (`kubectl wait`).

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { TRAINING_JOB_WORKLOAD } from './seed-support/seed-examples.js';
import { eventually, startAgent, type OutputProcess } from './seed-support/processes.js';

const NS = 'some-ns';

const TRAINING_JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: training-job, namespace: ${NS}}
spec:
  completions: 4
  parallelism: 4
  completionMode: Indexed
  backoffLimit: 0
  template:
    metadata: {labels: {job: training}}
    spec:
      restartPolicy: Never
      workloadRef: {name: training-job-workload, podGroup: workers}
      nodeSelector: {workplane.dev/runtime: process}
      tolerations: [{key: workplane.dev/runtime, operator: Equal, value: process, effect: NoSchedule}]
      containers:
      - name: train
        image: trainer:1
        command: [sh, -c, 'echo "worker $JOB_COMPLETION_INDEX trained"; sleep 1']
        resources: {requests: {cpu: "3"}}
`;

interface PodView {
  metadata: { name: string };
  spec: { nodeName?: string; workloadRef?: { name: string; podGroup: string } };
  status: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

describe('seed 004 with a Job: gang-scheduled training on process nodes', () => {
  let server: ServerProcess;
  let k: Kubectl;
  const agents: OutputProcess[] = [];
  const root = mkdtempSync(join(tmpdir(), 'workplane-gang-'));
  // The agents run as root here, so their pods run as nobody, who must pass through to the root dirs.
  chmodSync(root, 0o711);
  const workers = async (): Promise<PodView[]> => JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', 'job=training', '-o', 'json'])).items;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
    agents.push(await startAgent(server, ['--runtime', 'process', '--nodes', '3', '--cpu', '4', '--name-prefix', 'gpu', '--log-port', '0', '--root-dir', join(root, 'a')]));
    await k.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    for (const a of agents) await a.stop();
    k?.cleanup();
    await server?.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('the Workload names the Job as its controller, and the Job exists', async () => {
    await k.ok(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=60s']);
    assert.match(await k.ok(['apply', '-f', '-'], TRAINING_JOB_WORKLOAD), /workload\.scheduling\.k8s\.io\/training-job-workload created/);
    assert.match(await k.ok(['apply', '-f', '-'], TRAINING_JOB), /job\.batch\/training-job created/);
    const ref = JSON.parse(await k.ok(['get', 'swl', 'training-job-workload', '-n', NS, '-o', 'jsonpath={.spec.controllerRef}']));
    assert.deepEqual(ref, { apiGroup: 'batch', kind: 'Job', name: 'training-job' });
    assert.match(await k.ok(['get', `${ref.kind.toLowerCase()}.${ref.apiGroup}`, ref.name, '-n', NS]), /^training-job\s+Running\s+0\/4\s/m);
  });

  it('with room for three workers, none of the four binds, and each says why', async () => {
    const ps = await eventually(async () => {
      const ps = await workers();
      assert.equal(ps.length, 4);
      for (const p of ps) {
        const c = p.status.conditions?.find((x) => x.type === 'PodScheduled');
        assert.equal(c?.reason, 'Unschedulable', p.metadata.name);
        assert.match(c!.message!, /gang "some-ns\/training-job-workload\/workers" of 4 pods needs minCount 4.*0\/3 nodes are available: 3 Insufficient cpu\./);
      }
      return ps;
    }, 60_000);
    for (const p of ps) {
      assert.equal(p.spec.nodeName, undefined, `${p.metadata.name} must not bind alone`);
      assert.deepEqual(p.spec.workloadRef, { name: 'training-job-workload', podGroup: 'workers' });
    }
    assert.deepEqual(ps.map((p) => p.metadata.name.split('-').slice(0, 3).join('-')).sort(), ['training-job-0', 'training-job-1', 'training-job-2', 'training-job-3']);
    const events = await k.ok(['get', 'events', '-n', NS, '--field-selector', 'type=Warning']);
    for (let i = 0; i < 4; i++) assert.match(events, new RegExp(`FailedScheduling\\s+pod/training-job-${i}-\\S+\\s+.*Insufficient cpu`));
    assert.equal(await k.ok(['get', 'job', 'training-job', '-n', NS, '-o', 'jsonpath={.status.active}']), '4');
  });

  it('a fourth node lets all four bind together; their processes exit 0 and the Job completes', async () => {
    agents.push(await startAgent(server, ['--runtime', 'process', '--nodes', '1', '--cpu', '4', '--name-prefix', 'extra', '--log-port', '0', '--root-dir', join(root, 'b')]));
    assert.match(await k.ok(['wait', '--for=condition=complete', 'job/training-job', '-n', NS, '--timeout=120s']), /job\.batch\/training-job condition met/);
    const ps = await workers();
    assert.deepEqual(new Set(ps.map((p) => p.spec.nodeName)), new Set(['gpu-0', 'gpu-1', 'gpu-2', 'extra-0']), 'one 3-cpu worker per 4-cpu node');
    for (const p of ps) assert.equal(p.status.phase, 'Succeeded');
    assert.equal(await k.ok(['get', 'job', 'training-job', '-n', NS, '-o', 'jsonpath={.status.succeeded}/{.status.completedIndexes}']), '4/0-3');
    assert.match(await k.ok(['get', 'job', 'training-job', '-n', NS]), /^training-job\s+Complete\s+4\/4\s/m);
    const first = ps.find((p) => p.metadata.name.startsWith('training-job-2-'))!;
    assert.equal(await k.ok(['logs', first.metadata.name, '-n', NS]), 'worker 2 trained\n');
  });
});
