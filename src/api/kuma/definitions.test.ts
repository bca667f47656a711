// Every kuma.io definition compiles, is fully described, names nothing twice,
// and comes in the order discovery lists them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingDescriptions } from '../testing/missing-descriptions.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import { tableRow } from '../../apiserver/table.js';
import { kumaDefinitions, meshDefinition } from './index.js';


describe('kuma definitions', () => {
  it('come in discovery order, all kuma.io/v1alpha1', () => {
    assert.deepEqual(
      kumaDefinitions.map((d) => d.kind),
      ['Workload', 'Mesh', 'Dataplane', 'DataplaneInsight', 'MeshIdentity', 'MeshTrust'],
    );
    for (const d of kumaDefinitions) assert.equal(`${d.group}/${d.version}`, 'kuma.io/v1alpha1');
  });

  it('have the names, scopes and subresources kubectl expects', () => {
    const facts = kumaDefinitions.map((d) => [d.plural, d.singular, d.shortNames?.join(','), d.namespaced, !!d.subresources?.status]);
    assert.deepEqual(facts, [
      ['workloads', 'workload', 'wl', true, true],
      ['meshes', 'mesh', 'mesh', false, false],
      ['dataplanes', 'dataplane', 'dp', true, false],
      ['dataplaneinsights', 'dataplaneinsight', 'dpi', true, true],
      ['meshidentities', 'meshidentity', 'mid', true, true],
      ['meshtrusts', 'meshtrust', 'mtrust', true, true],
    ]);
  });

  it('compile and describe every property', () => {
    for (const d of kumaDefinitions) {
      const cd = compileDefinition(d);
      assert.equal(cd.qualified, `${d.plural}.kuma.io`);
      assert.deepEqual(missingDescriptions(d.schema, d.kind, []), [], d.kind);
      assert.ok(d.columns?.some((c) => c.name === 'Name') && d.columns.some((c) => c.name === 'Age'), d.kind);
    }
  });

  it('keep unknown Mesh settings', () => {
    const cd = compileDefinition(meshDefinition);
    const mesh = { metadata: { name: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] }, skipCreatingInitialPolicies: ['*'] } };
    assert.deepEqual(cd.validator.validate(mesh), []);
    assert.deepEqual(tableRow(cd, mesh, 'None', Date.parse('2024-01-01T00:00:30Z')).cells, ['default', '30s']);
  });
});
