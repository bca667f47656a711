import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeKubeconfig } from './kubeconfig.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-kubeconfig-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writes a kubeconfig kubectl can use, mode 0600', () =>
  withDir(async (dir) => {
    const path = join(dir, 'nested', 'kubeconfig');
    assert.equal(await writeKubeconfig(path, { server: 'https://127.0.0.1:6443', caPem: CA, token: 'tok' }), path);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const config = parse(await readFile(path, 'utf8'));
    assert.equal(config.apiVersion, 'v1');
    assert.equal(config.kind, 'Config');
    assert.equal(config['current-context'], 'workplane');
    assert.deepEqual(config.contexts, [{ name: 'workplane', context: { cluster: 'workplane', user: 'workplane' } }]);
    assert.equal(config.clusters[0].name, 'workplane');
    assert.equal(config.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8'), CA);
    assert.deepEqual(config.users, [{ name: 'workplane', user: { token: 'tok' } }]);
  }));

test('replaces an existing file and tightens its mode', () =>
  withDir(async (dir) => {
    const path = join(dir, 'kubeconfig');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, { server: 'https://[::1]:7000', caPem: CA, token: 't2', contextName: 'dev', namespace: 'team-a' });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const config = parse(await readFile(path, 'utf8'));
    assert.equal(config['current-context'], 'dev');
    assert.deepEqual(config.contexts[0].context, { cluster: 'dev', user: 'dev', namespace: 'team-a' });
    assert.equal(config.clusters[0].cluster.server, 'https://[::1]:7000');
  }));
