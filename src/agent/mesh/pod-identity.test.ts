// Pods' workload identities end to end in one process: the control plane with
// its in-process agent, a MeshIdentity selecting the pod's workload, and the
// agent's pod session writing the certificate it was issued.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { InProcessClient } from '../../client/in-process-client.js';
import { silentLogger } from '../../client/logger.js';
import { eventually } from '../../client/testing.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/control-plane.js';
import { serveOptions } from '../../controlplane/options.js';
import { DATAPLANE_INSIGHTS } from '../../controllers/mesh/resources.js';
import { seedMeshIdentity } from '../../identity/testing.js';
import { defaultIdentityRoot, podIdentityDir } from './pod-identity.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const MESH_IDENTITIES = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshidentities' };
const SPIFFE_ID = 'spiffe://example.com/workload/demo-workload';
const LIMIT_MS = 60_000;

const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'demo-0', namespace: 'demo', annotations: { 'kuma.io/workload': 'demo-workload' } },
  spec: { nodeName: 'node-0', containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }] }] },
};

describe('pod workload identity', { timeout: 180_000 }, () => {
  let dataDir: string;
  let cp: ControlPlane;
  let client: InProcessClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'workplane-pod-identity-'));
    cp = await startControlPlane(serveOptions({ dataDir, storage: 'memory', agentNodes: 1 }));
    client = new InProcessClient(cp.registry, { log: silentLogger });
    await client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { 'kuma.io/sidecar-injection': 'enabled' } } });
    await client.resource(MESH_IDENTITIES).create('kuma-system', seedMeshIdentity());
  });

  after(async () => {
    await cp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues the pod session a certificate for its workload, written to the pod\'s directory', async () => {
    const created = await client.resource(PODS).create('demo', pod);
    const dir = podIdentityDir(defaultIdentityRoot(), created);
    let spiffeId: unknown;
    await eventually(async () => {
      const insight = await client.resource(DATAPLANE_INSIGHTS).get('demo', 'demo-0');
      spiffeId = ((insight?.status as { mTLS?: { spiffeID?: string } } | undefined)?.mTLS)?.spiffeID;
      return spiffeId === SPIFFE_ID;
    }, 'DataplaneInsight status.mTLS.spiffeID', LIMIT_MS);
    await eventually(() => existsSync(join(dir, 'cert.pem')) && existsSync(join(dir, 'bundle.pem')), 'identity files', LIMIT_MS);

    const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
    assert.ok(cert.subjectAltName?.includes(`URI:${SPIFFE_ID}`), cert.subjectAltName);
    const bundle = readFileSync(join(dir, 'bundle.pem'), 'utf8');
    const roots = bundle.split(/(?<=-----END CERTIFICATE-----)\s*/).filter((p) => p.includes('BEGIN')).map((p) => new X509Certificate(p));
    assert.ok(roots.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)), 'certificate is signed by a CA of the bundle');
    assert.ok(existsSync(join(dir, 'key.pem')), 'key written beside it');
  });

  it('removes the pod\'s directory once its session ends', async () => {
    const current = (await client.resource(PODS).get('demo', 'demo-0'))!;
    const dir = podIdentityDir(defaultIdentityRoot(), current);
    await client.resource(PODS).delete('demo', 'demo-0');
    await eventually(() => !existsSync(dir), 'identity directory removed', LIMIT_MS);
  });
});
