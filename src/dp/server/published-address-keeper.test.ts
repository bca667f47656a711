// The published DP server address cannot be redirected: whoever edits or
// deletes the ConfigMap, the control plane puts its own address back.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpClient } from '../../client/http-client.js';
import { eventually } from '../../client/testing.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/control-plane.js';
import { serveOptions } from '../../controlplane/options.js';
import { ADDRESS_KEY, CA_KEY, DP_SERVER_CONFIGMAP } from './published-address.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

describe('published DP server address', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-dp-keeper-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, logLevel: 'silent' }));
    admin = await HttpClient.fromKubeconfig(cp.kubeconfigPath);
  });
  after(async () => {
    admin?.close();
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const data = async () => ((await admin.resource(CONFIGMAPS).get('kuma-system', DP_SERVER_CONFIGMAP))?.data ?? {}) as Record<string, string>;

  it('is restored after someone rewrites or deletes it', async () => {
    const original = await data();
    assert.match(original[ADDRESS_KEY]!, /^grpcs:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(original[CA_KEY], cp.caPem);

    await admin.resource(CONFIGMAPS).patch('kuma-system', DP_SERVER_CONFIGMAP, 'merge', { data: { [ADDRESS_KEY]: 'grpcs://attacker.example:5678', [CA_KEY]: 'evil' } });
    await eventually(async () => (await data())[ADDRESS_KEY] === original[ADDRESS_KEY] && (await data())[CA_KEY] === cp.caPem, 'address restored');

    await admin.resource(CONFIGMAPS).delete('kuma-system', DP_SERVER_CONFIGMAP);
    await eventually(async () => (await data())[ADDRESS_KEY] === original[ADDRESS_KEY], 'ConfigMap recreated');
  });
});
