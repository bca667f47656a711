// Pod spec validation: containers, ports, resources, volumes, tolerations, workloadRef.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody, type FieldError } from '../errors.js';
import { validatePodSpec } from './pod-spec.js';

const render = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx', ...extra });

describe('validatePodSpec', () => {
  it('accepts a minimal spec', () => {
    assert.deepEqual(validatePodSpec({ containers: [container()] }), []);
  });

  it('requires containers', () => {
    assert.deepEqual(render(validatePodSpec({})), ['spec.containers: Required value']);
  });

  it('checks container names and images', () => {
    const errs = render(
      validatePodSpec({
        containers: [container(), container(), { name: 'Bad_Name', image: 'x' }, { image: 'x' }],
        initContainers: [{ name: 'app', image: 'x' }],
      }),
    );
    assert.deepEqual(errs.slice(0, 1), ['spec.containers[1].name: Duplicate value: "app"']);
    assert.match(errs[1], /^spec\.containers\[2\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/);
    assert.equal(errs[2], 'spec.containers[3].name: Required value');
    assert.equal(errs[3], 'spec.initContainers[0].name: Duplicate value: "app"');
    assert.equal(errs.length, 4);
    assert.deepEqual(render(validatePodSpec({ containers: [{ name: 'a' }] })), ['spec.containers[0].image: Required value']);
  });

  it('checks ports and policies', () => {
    const errs = render(
      validatePodSpec({
        restartPolicy: 'Sometimes',
        containers: [container({ ports: [{ containerPort: 70000, protocol: 'TCP' }, { containerPort: 80, protocol: 'HTTP' }] })],
      }),
    );
    assert.deepEqual(errs, [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('requires requests not to exceed limits', () => {
    const errs = render(
      validatePodSpec({
        containers: [container({ resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } })],
      }),
    );
    assert.deepEqual(errs, ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
    const bad = render(validatePodSpec({ containers: [container({ resources: { limits: { cpu: 'lots' } } })] }));
    assert.match(bad[0], /^spec\.containers\[0\]\.resources\.limits\[cpu\]: Invalid value: "lots": quantities must match/);
  });

  it('checks volumes and mounts', () => {
    const errs = render(
      validatePodSpec({
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'two', emptyDir: {}, secret: {} }],
        containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/d' }, { name: 'nope', mountPath: '/d' }] })],
      }),
    );
    assert.deepEqual(errs, [
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.volumes[2].secret: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].volumeMounts[1].name: Invalid value: "nope": not found',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
    ]);
  });

  it('checks tolerations and the workload reference', () => {
    const errs = render(
      validatePodSpec({
        containers: [container()],
        tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }],
        workloadRef: { name: 'Train.Job', podGroup: 'workers.a' },
      }),
    );
    assert.equal(errs[0], 'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"');
    assert.equal(errs[1], 'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set');
    assert.match(errs[2], /^spec\.workloadRef\.name: Invalid value: "Train\.Job": a lowercase RFC 1123 subdomain/);
    assert.match(errs[3], /^spec\.workloadRef\.podGroup: Invalid value: "workers\.a": a lowercase RFC 1123 label/);
    assert.deepEqual(render(validatePodSpec({ containers: [container()], workloadRef: {} })), [
      'spec.workloadRef.name: Required value',
      'spec.workloadRef.podGroup: Required value',
    ]);
  });

  it('uses the given path for templates', () => {
    assert.deepEqual(render(validatePodSpec({}, 'spec.template.spec')), ['spec.template.spec.containers: Required value']);
  });
});
