// A pod's effective request, as kube computes it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podRequests } from './resources.js';

const c = (cpu?: string, memory?: string, extra: Record<string, unknown> = {}) => ({ name: 'c', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } }, ...extra });

describe('pod requests', () => {
  it('sums app containers and takes limits where requests are missing', () => {
    assert.deepEqual(podRequests({ containers: [c('250m', '64Mi'), c('0.5'), { name: 'x', resources: { limits: { cpu: 1, memory: '1Gi' } } }] }), {
      cpu: 1750,
      memory: 64 * 2 ** 20 + 2 ** 30,
    });
  });

  it('counts the largest init container, sidecars alongside the app, and overhead', () => {
    const spec = {
      initContainers: [c('2', '1Gi'), c('100m', '10Mi', { restartPolicy: 'Always' }), c('500m', '2Gi')],
      containers: [c('1', '512Mi')],
      overhead: { cpu: '50m', memory: '1Mi' },
    };
    // init: max(2, 0.1 + 0.5) cpu, max(1Gi, 10Mi + 2Gi) memory; running: 1 + 0.1 cpu, 512Mi + 10Mi
    assert.deepEqual(podRequests(spec), { cpu: 2000 + 50, memory: 10 * 2 ** 20 + 2 * 2 ** 30 + 2 ** 20 });
  });

  it('uses pod-level requests when given', () => {
    assert.deepEqual(podRequests({ containers: [c('1', '1Gi')], resources: { requests: { cpu: '3' } } }), { cpu: 3000, memory: 2 ** 30 });
  });
});
