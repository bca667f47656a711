// The Milo and scheduling definitions compile, describe every property, and
// carry the names kubectl resolves.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDescriptions } from '../testing/missing-descriptions.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import type { ResourceDefinition } from '../definition.js';
import { resourceQuotaDefinition } from '../core/resource-quota.js';
import { schedulingWorkloadDefinition } from '../scheduling/workload.js';
import { networkDefinition } from './network.js';
import { projectDefinition } from './project.js';
import { computeWorkloadDefinition } from './workload.js';

const defs: ResourceDefinition[] = [computeWorkloadDefinition, networkDefinition, projectDefinition, schedulingWorkloadDefinition, resourceQuotaDefinition];


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
