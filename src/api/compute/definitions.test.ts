// The Milo and scheduling definitions compile, describe every property, and
// carry the names kubectl resolves.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { ResourceDefinition } from '../definition.js';
import { resourceQuotaDefinition } from '../core/resource-quota.js';
import { schedulingWorkloadDefinition } from '../scheduling/workload.js';
import { networkDefinition } from './network.js';
import { projectDefinition } from './project.js';
import { computeWorkloadDefinition } from './workload.js';

const defs: ResourceDefinition[] = [computeWorkloadDefinition, networkDefinition, projectDefinition, schedulingWorkloadDefinition, resourceQuotaDefinition];

function missingDescriptions(schema: unknown, path: string, out: string[]): string[] {
  if (typeof schema !== 'object' || schema === null) return out;
  const s = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries((s.properties as Record<string, unknown>) ?? {})) {
    if (!(v as Record<string, unknown>).description) out.push(`${path}.${k}`);
    missingDescriptions(v, `${path}.${k}`, out);
  }
  if (s.items) missingDescriptions(s.items, `${path}[]`, out);
  return out;
}

describe('compute, scheduling and quota definitions', () => {
  it('compile and describe every property', () => {
    for (const d of defs) {
      compileDefinition(d);
      assert.deepEqual(missingDescriptions(d.schema, d.kind, []), [], `${d.kind}.${d.group}`);
    }
  });

  it('have the names and scopes kubectl resolves', () => {
    assert.deepEqual(
      defs.map((d) => `${d.plural}.${d.group || 'core'}/${d.version} ${d.shortNames?.join(',')} ${d.namespaced ? 'ns' : 'cluster'}`),
      [
        'workloads.compute.miloapis.com/v1alpha1 cwl ns',
        'networks.networking.miloapis.com/v1alpha1 net ns',
        'projects.resourcemanager.miloapis.com/v1alpha1 proj cluster',
        'workloads.scheduling.k8s.io/v1alpha1 swl ns',
        'resourcequotas.core/v1 quota ns',
      ],
    );
    assert.deepEqual(computeWorkloadDefinition.subresources, {
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
    });
    assert.equal(schedulingWorkloadDefinition.subresources, undefined);
  });
});
