// Seed 000's MeshIdentity (its identityRef form: `type: spiffe`,
// `identityRef`, `config.trustDomain`, `config.path.template`) applied with
// the real kubectl to `workplane serve`, whose in-process simulated nodes
// hold a DP stream per meshed pod: the seed's annotated pod must receive the
// SPIFFE identity the seed describes, recorded in its DataplaneInsight. Also
// checked through kubectl: the manifest reads back as written and re-applies
// unchanged, an edit of the identityRef form re-issues the identity, the
// MeshTrust records its origin, a MeshIdentity outside kuma-system is
// refused with Kuma's message, and a namespace labelled `yes` meshes pods.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { seedText } from './seed-support/seed-examples.js';

const SYSTEM_NS = 'kuma-system';
const WAIT = '--timeout=60s';

// Seed 000's MeshIdentity, character for character ({{site.mesh_namespace}} is filled in below).
const SEED_MESH_IDENTITY = `apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: workload-identity
  namespace: {{site.mesh_namespace}}
  labels:
    kuma.io/mesh: default
spec:
  type: spiffe
  identityRef:
    type: workload
    tags:
      kuma.io/workload: demo-workload
  config:
    trustDomain: example.com
    path:
      template: /workload/{{ .Workload }}
`;
const MESH_IDENTITY = SEED_MESH_IDENTITY.replace('{{site.mesh_namespace}}', SYSTEM_NS);

// The seed's pod, with the container a runnable pod needs (the seed shows its metadata only).
const demoPod = (namespace: string) => `apiVersion: v1
kind: Pod
metadata:
  name: demo-app
  namespace: ${namespace}
  annotations:
    kuma.io/workload: demo-workload
spec:
  containers:
  - name: app
    image: demo-app:1.0
    ports:
    - containerPort: 8080
`;

interface PrintedIdentity {
  spec: Record<string, any>;
}

describe('seed 000: the identityRef-form MeshIdentity gives pods their SPIFFE identity', { timeout: 240_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  const spiffeIdOf = (ns: string) => k.ok(['get', 'dataplaneinsight', 'demo-app', '-n', ns, '-o', 'jsonpath={.status.mTLS.spiffeID}']);
  const waitSpiffeId = async (ns: string, id: string) => {
    await k.ok(['wait', '--for=create', 'dataplaneinsight/demo-app', '-n', ns, WAIT]);
    await k.ok(['wait', `--for=jsonpath={.status.mTLS.spiffeID}=${id}`, 'dataplaneinsight/demo-app', '-n', ns, WAIT]);
  };

  before(async () => {
    server = await new ServerProcess({ storage: 'memory' }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('carries the seed example verbatim', { skip: seedText('000_') === undefined && 'seed file not present' }, () => {
    assert.ok(seedText('000_')!.includes(SEED_MESH_IDENTITY.trimEnd()));
  });

  it('applies, becomes Ready, reads back as written (with Kuma\'s fields beside it) and re-applies unchanged', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], MESH_IDENTITY), /meshidentity\.kuma\.io\/workload-identity created/);
    await k.ok(['wait', 'meshidentity/workload-identity', '-n', SYSTEM_NS, '--for=condition=Ready', WAIT]);
    const mi = parseYaml(await k.ok(['get', 'meshidentity', 'workload-identity', '-n', SYSTEM_NS, '-o', 'yaml'])) as PrintedIdentity;
    assert.equal(mi.spec.type, 'spiffe');
    assert.deepEqual(mi.spec.identityRef, { type: 'workload', tags: { 'kuma.io/workload': 'demo-workload' } });
    assert.deepEqual(mi.spec.config, { trustDomain: 'example.com', path: { template: '/workload/{{ .Workload }}' } });
    assert.deepEqual(mi.spec.selector, { dataplane: { matchLabels: { 'kuma.io/workload': 'demo-workload' } } });
    assert.deepEqual(mi.spec.spiffeID, { trustDomain: 'example.com', path: '/workload/{{ .Workload }}' });
    assert.equal(mi.spec.provider.type, 'Bundled');
    assert.match(await k.ok(['apply', '-f', '-'], MESH_IDENTITY), /meshidentity\.kuma\.io\/workload-identity unchanged/);
    const table = await k.ok(['get', 'meshidentities', '-n', SYSTEM_NS]);
    assert.match(table, /workload-identity\s+default\s+example\.com\s+True/);
  });

  it('its MeshTrust holds the CA and names the identity in status.origin', async () => {
    await k.ok(['wait', '--for=create', 'meshtrust/workload-identity', '-n', SYSTEM_NS, WAIT]);
    await k.ok(['wait', '--for=jsonpath={.status.origin.kri}=kri_mid_default__kuma-system_workload-identity_', 'meshtrust/workload-identity', '-n', SYSTEM_NS, WAIT]);
    assert.equal(await k.ok(['get', 'meshtrust', 'workload-identity', '-n', SYSTEM_NS, '-o', 'jsonpath={.spec.trustDomain}']), 'example.com');
  });

  it('the seed\'s annotated pod receives spiffe://example.com/workload/demo-workload', async () => {
    await k.ok(['label', 'namespace', 'default', 'kuma.io/sidecar-injection=enabled']);
    await k.ok(['apply', '-f', '-'], demoPod('default'));
    await k.ok(['wait', '--for=condition=Ready', 'pod/demo-app', '-n', 'default', WAIT]);
    await waitSpiffeId('default', 'spiffe://example.com/workload/demo-workload');
    assert.equal(await k.ok(['get', 'dataplane', 'demo-app', '-n', 'default', '-o', 'jsonpath={.metadata.labels.kuma\\.io/workload}']), 'demo-workload');
  });

  it('an edit of the identityRef form re-issues the identity with the new path', async () => {
    const patch = { spec: { config: { path: { template: '/ns/{{ .Namespace }}/workload/{{ .Workload }}' } } } };
    await k.ok(['patch', 'meshidentity', 'workload-identity', '-n', SYSTEM_NS, '--type=merge', '-p', JSON.stringify(patch)]);
    assert.equal(await k.ok(['get', 'meshidentity', 'workload-identity', '-n', SYSTEM_NS, '-o', 'jsonpath={.spec.spiffeID.path}']), '/ns/{{ .Namespace }}/workload/{{ .Workload }}');
    await waitSpiffeId('default', 'spiffe://example.com/ns/default/workload/demo-workload');
  });

  it('meshes pods of a namespace labelled kuma.io/sidecar-injection=yes, which get the identity too', async () => {
    await k.ok(['create', 'namespace', 'mesh-yes']);
    await k.ok(['label', 'namespace', 'mesh-yes', 'kuma.io/sidecar-injection=yes']);
    await k.ok(['apply', '-f', '-'], demoPod('mesh-yes'));
    await waitSpiffeId('mesh-yes', 'spiffe://example.com/ns/mesh-yes/workload/demo-workload');
    assert.equal(await spiffeIdOf('mesh-yes'), 'spiffe://example.com/ns/mesh-yes/workload/demo-workload');
  });

  it("refuses a MeshIdentity outside kuma-system with Kuma's message", async () => {
    const stray = MESH_IDENTITY.replace(`namespace: ${SYSTEM_NS}`, 'namespace: default').replace('name: workload-identity', 'name: stray');
    const err = await k.fails(['apply', '-f', '-'], stray);
    assert.match(err, /Error from server \(Forbidden\).*meshidentities\.kuma\.io "stray" is forbidden: resource type MeshIdentity can be created only in the system namespace:kuma-system/s);
  });
});
