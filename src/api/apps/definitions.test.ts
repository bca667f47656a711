// The standard workload kinds (apps, batch, core Service family, discovery,
// networking): they compile, describe every property, carry kube's names,
// default as kube does, and validate with kube's messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDescriptions } from '../testing/missing-descriptions.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { OperationContext, ResourceDefinition } from '../definition.js';
import type { KObject } from '../object.js';
import { batchDefinitions } from '../batch/index.js';
import { scheduleError, scheduledTimes } from '../batch/cron-schedule.js';
import { endpointsDefinition, persistentVolumeClaimDefinition, persistentVolumeDefinition, replicationControllerDefinition, serviceDefinition } from '../core/index.js';
import { endpointSliceDefinition } from '../discovery/endpoint-slice.js';
import { ingressDefinition } from '../networking/ingress.js';
import { appsDefinitions } from './index.js';
import { scaledValue, validateIntOrPercent } from './pod-template-validation.js';

const defs: ResourceDefinition[] = [
  ...appsDefinitions,
  ...batchDefinitions,
  serviceDefinition,
  endpointsDefinition,
  persistentVolumeClaimDefinition,
  persistentVolumeDefinition,
  replicationControllerDefinition,
  endpointSliceDefinition,
  ingressDefinition,
];
const ctx: OperationContext = { user: { username: 'test', groups: [] }, dryRun: false };
const find = (kind: string) => defs.find((d) => d.kind === kind)!;
const prepared = (kind: string, body: Record<string, unknown>): KObject => {
  const o = { apiVersion: 'x', kind, metadata: { name: 'x', namespace: 'ns', uid: 'u-1' }, ...body } as KObject;
  find(kind).strategy!.prepareForCreate!(o, ctx);
  return o;
};
const errors = (kind: string, o: KObject) => find(kind).strategy!.validate!(o, ctx).map((e) => `${e.field}: ${e.type} ${e.detail}`);
const container = { name: 'c', image: 'nginx' };

describe('standard workload definitions', () => {
  it('compile and describe every property', () => {
    for (const d of defs) {
      compileDefinition(d);
      assert.deepEqual(missingDescriptions(d.schema, d.kind, []), [], `${d.kind}.${d.group}`);
    }
  });

  it('have the names and scopes kubectl resolves', () => {
    assert.deepEqual(
      defs.map((d) => `${d.plural}.${d.group || 'core'}/${d.version} ${d.shortNames?.join(',') ?? ''} ${d.namespaced ? 'ns' : 'cluster'}`),
      [
        'deployments.apps/v1 deploy ns',
        'replicasets.apps/v1 rs ns',
        'statefulsets.apps/v1 sts ns',
        'daemonsets.apps/v1 ds ns',
        'controllerrevisions.apps/v1  ns',
        'jobs.batch/v1  ns',
        'cronjobs.batch/v1 cj ns',
        'services.core/v1 svc ns',
        'endpoints.core/v1 ep ns',
        'persistentvolumeclaims.core/v1 pvc ns',
        'persistentvolumes.core/v1 pv cluster',
        'replicationcontrollers.core/v1 rc ns',
        'endpointslices.discovery.k8s.io/v1  ns',
        'ingresses.networking.k8s.io/v1 ing ns',
      ],
    );
  });

  it('Deployment defaults: RollingUpdate 25%/25%, history 10, deadline 600, one replica, pod defaults', () => {
    const d = prepared('Deployment', { spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [container] } } } });
    const spec = d.spec as Record<string, any>;
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.deepEqual([spec.replicas, spec.revisionHistoryLimit, spec.progressDeadlineSeconds], [1, 10, 600]);
    assert.equal(spec.template.spec.restartPolicy, 'Always');
    assert.deepEqual(errors('Deployment', d), []);
  });

  it('Deployment validation speaks kube', () => {
    const bad = prepared('Deployment', {
      spec: { replicas: -1, selector: {}, strategy: { type: 'Recreate', rollingUpdate: {} }, progressDeadlineSeconds: 5, minReadySeconds: 10, template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [container] } } },
    });
    assert.deepEqual(errors('Deployment', bad), [
      'spec.replicas: FieldValueInvalid must be greater than or equal to 0',
      'spec.selector: FieldValueInvalid empty selector is invalid for deployment',
      'spec.template.spec.restartPolicy: FieldValueNotSupported supported values: "Always"',
      "spec.strategy.rollingUpdate: FieldValueForbidden may not be specified when strategy `type` is 'Recreate'",
      'spec.progressDeadlineSeconds: FieldValueInvalid must be greater than minReadySeconds',
    ]);
    assert.deepEqual(validateIntOrPercent('150%', 'p').map((e) => e.detail), ['must not be greater than 100%']);
    assert.equal(validateIntOrPercent('1.5%', 'p').length, 1);
    assert.deepEqual([scaledValue('25%', 10, true), scaledValue('25%', 10, false), scaledValue(2, 10, true)], [3, 2, 2]);
  });

  it('Job defaults and the generated selector, as kube: completions and parallelism 1, backoffLimit 6, uid labels', () => {
    const j = prepared('Job', { spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } });
    const spec = j.spec as Record<string, any>;
    assert.deepEqual([spec.completions, spec.parallelism, spec.backoffLimit, spec.completionMode, spec.suspend], [1, 1, 6, 'NonIndexed', false]);
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.deepEqual(spec.template.metadata.labels, { 'batch.kubernetes.io/controller-uid': 'u-1', 'controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'x', 'job-name': 'x' });
    assert.deepEqual(j.metadata.labels, spec.template.metadata.labels);
    assert.deepEqual(errors('Job', j), []);
    const workQueue = prepared('Job', { spec: { parallelism: 3, template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } });
    assert.equal((workQueue.spec as Record<string, unknown>).completions, undefined, 'a work queue keeps completions unset');
  });

  it('CronJob schedules: five fields or a descriptor, no TZ prefix; times in the time zone', () => {
    assert.equal(scheduleError('*/5 * * * *'), undefined);
    assert.equal(scheduleError('@hourly'), undefined);
    assert.equal(scheduleError('@every 1h'), undefined);
    assert.match(scheduleError('* * * * * *')!, /expected exactly 5 fields, found 6/);
    assert.match(scheduleError('TZ=UTC * * * * *')!, /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/);
    assert.match(scheduleError('@sometimes')!, /unrecognized descriptor/);
    const times = scheduledTimes('0 9 * * *', 'Asia/Tokyo', new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    assert.deepEqual(times.map((t) => t.toISOString()), ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
    const cj = prepared('CronJob', { spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } } } } });
    const spec = cj.spec as Record<string, unknown>;
    assert.deepEqual([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
    assert.deepEqual(errors('CronJob', cj), []);
  });

  it('Service defaults and validation', () => {
    const s = prepared('Service', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    assert.deepEqual(s.spec, { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
    const bad = prepared('Service', { spec: { type: 'Weird', ports: [{ port: 70000 }, { port: 80, protocol: 'ICMP' }] } });
    assert.deepEqual(errors('Service', bad), [
      'spec.type: FieldValueNotSupported supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].name: FieldValueRequired ',
      'spec.ports[0].port: FieldValueInvalid must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: FieldValueInvalid must be between 1 and 65535, inclusive',
      'spec.ports[1].name: FieldValueRequired ',
      'spec.ports[1].protocol: FieldValueNotSupported supported values: "SCTP", "TCP", "UDP"',
    ]);
    const external = prepared('Service', { spec: { type: 'ExternalName' } });
    assert.deepEqual(errors('Service', external), ['spec.externalName: FieldValueRequired ']);
  });
});
