// Jobs and CronJobs with the real kubectl against `workplane serve`:
// `kubectl create job`, `kubectl wait --for=condition=complete|failed`,
// `kubectl create cronjob`, `kubectl create job --from=cronjob/...`, the
// jobs table, and validation messages. Simulated containers exit as the
// template's workplane.dev/simulate-exit-code annotation says.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';

const NS = 'batch';

const job = (name: string, exit: number, spec = '') => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: ${NS}}
spec:
${spec}  template:
    metadata: {annotations: {workplane.dev/simulate-exit-code: "${exit}"}}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox:1, command: [sh, -c, "exit ${exit}"]}]
`;

describe('Jobs and CronJobs with kubectl', () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '2'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('a Job with completions 3 runs to Complete; kubectl wait --for=condition=complete returns', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], job('pi', 0, '  completions: 3\n  parallelism: 2\n')), /job\.batch\/pi created/);
    assert.match(await k.ok(['wait', '--for=condition=complete', 'job/pi', '-n', NS, '--timeout=60s']), /job\.batch\/pi condition met/);
    assert.match(await k.ok(['get', 'jobs', '-n', NS]), /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\npi\s+Complete\s+3\/3\s+\d+s\s+/m);
    assert.equal(await k.ok(['get', 'job', 'pi', '-n', NS, '-o', 'jsonpath={.status.conditions[?(@.type=="Complete")].reason}']), 'CompletionsReached');
    assert.match(await k.ok(['get', 'pods', '-n', NS, '-l', 'job-name=pi']), /pi-\S+\s+0\/1\s+Completed/);
    assert.match(await k.ok(['describe', 'job', 'pi', '-n', NS]), /SuccessfulCreate\s+.*Created pod: pi-/);
  });

  it('a failing Job ends Failed with BackoffLimitExceeded; kubectl wait --for=condition=failed returns', async () => {
    await k.ok(['apply', '-f', '-'], job('bad', 1, '  backoffLimit: 1\n'));
    assert.match(await k.ok(['wait', '--for=condition=failed', 'job/bad', '-n', NS, '--timeout=90s']), /condition met/);
    assert.equal(await k.ok(['get', 'job', 'bad', '-n', NS, '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']), 'BackoffLimitExceeded');
    assert.equal(await k.ok(['get', 'job', 'bad', '-n', NS, '-o', 'jsonpath={.status.failed}']), '2');
  });

  it('kubectl create job makes a job with the generated selector and labels', async () => {
    assert.match(await k.ok(['create', 'job', 'hello', '--image=busybox:1', '-n', NS, '--', 'echo', 'hi']), /job\.batch\/hello created/);
    const j = JSON.parse(await k.ok(['get', 'job', 'hello', '-n', NS, '-o', 'json']));
    assert.deepEqual(Object.keys(j.spec.selector.matchLabels), ['batch.kubernetes.io/controller-uid']);
    assert.equal(j.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'hello');
    assert.deepEqual(j.spec.template.spec.containers[0].command, ['echo', 'hi']);
    assert.equal(j.spec.template.spec.restartPolicy, 'Never');
    await eventually(async () => assert.equal(await k.ok(['get', 'job', 'hello', '-n', NS, '-o', 'jsonpath={.status.active}']), '1'));
  });

  it('kubectl create cronjob, then kubectl create job --from=cronjob/... runs its template to completion', async () => {
    assert.match(await k.ok(['create', 'cronjob', 'nightly', '--image=busybox:1', '--schedule=0 3 * * *', '-n', NS, '--', 'date']), /cronjob\.batch\/nightly created/);
    assert.match(await k.ok(['get', 'cronjobs', '-n', NS]), /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nnightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+/m);
    // The template of a CronJob applied with an exit annotation, so the manual run completes.
    await k.ok(['apply', '-f', '-'], `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: ${NS}}
spec:
  schedule: "*/30 * * * *"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        metadata: {annotations: {workplane.dev/simulate-exit-code: "0"}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: busybox:1, command: [sh, -c, "echo report"]}]
`);
    assert.match(await k.ok(['create', 'job', 'report-now', '--from=cronjob/report', '-n', NS]), /job\.batch\/report-now created/);
    const j = JSON.parse(await k.ok(['get', 'job', 'report-now', '-n', NS, '-o', 'json']));
    assert.equal(j.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(j.metadata.ownerReferences[0].kind, 'CronJob');
    assert.equal(j.metadata.ownerReferences[0].name, 'report');
    assert.match(await k.ok(['wait', '--for=condition=complete', 'job/report-now', '-n', NS, '--timeout=60s']), /condition met/);
  });

  it('refuses bad Jobs and CronJobs with kube messages', async () => {
    const always = await k.fails(['apply', '-f', '-'], job('always', 0).replace('restartPolicy: Never', 'restartPolicy: Always'));
    assert.match(always, /The Job "always" is invalid: spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
    const indexed = await k.fails(['apply', '-f', '-'], job('idx', 0, '  completionMode: Indexed\n  parallelism: 2\n'));
    assert.match(indexed, /spec\.completions: Required value: when completion mode is Indexed/);
    const schedule = await k.fails(['create', 'cronjob', 'broken', '--image=busybox', '--schedule=61 * * * *', '-n', NS]);
    assert.match(schedule, /CronJob.batch "broken" is invalid: spec\.schedule: Invalid value: "61 \* \* \* \*": .*61/);
    const zone = await k.fails(['apply', '-f', '-'], `apiVersion: batch/v1
kind: CronJob
metadata: {name: zoned, namespace: ${NS}}
spec:
  schedule: "@hourly"
  timeZone: Mars/Olympus
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
`);
    assert.match(zone, /spec\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/);
    const changed = await k.fails(['patch', 'job', 'pi', '-n', NS, '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"work","image":"busybox:2"}]}}}}']);
    assert.match(changed, /spec\.template: Invalid value: .*field is immutable/);
  });
});
