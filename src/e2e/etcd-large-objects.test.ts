// `workplane serve` on etcd with more than gRPC's default 4 MiB in one range:
// five 1 MiB ConfigMaps and 20,000 small ones survive a restart (the watch
// cache's initial list used to fail with RESOURCE_EXHAUSTED and the server
// never started), an object etcd refuses as too large gets a 413 naming
// etcd's limit, and no --etcd-prefix is needed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '../testing/etcd-server.js';
import { Kubectl, ServerProcess, writeSecretsKeyFile } from '../testing/server-process.js';

const MiB = 1024 * 1024;
const SMALL = 20_000;

describe('workplane serve on etcd with large ranges', () => {
  let etcd: EtcdServer;
  let server: ServerProcess;
  let k: Kubectl;
  const dir = mkdtempSync(join(tmpdir(), 'workplane-large-'));

  before(async () => {
    // etcd's default (1.5 MiB) already holds a 1 MiB ConfigMap of text; 2 MiB leaves room for
    // binaryData (base64) too, as the README advises.
    etcd = await startEtcd({ maxRequestBytes: 2 * MiB });
    // No --etcd-prefix: keys go straight under /registry/ in this etcd.
    // --dp-port 0: the restart reuses the API port, which would otherwise put the DP server on the fixed 5678.
    server = await new ServerProcess({
      storage: 'etcd',
      etcdEndpoints: etcd.endpoints,
      secretsKeyFile: writeSecretsKeyFile(join(dir, 'secrets.key')),
      extraArgs: ['--agent-nodes', '0', '--dp-port', '0', '--runtime-config', 'example.workplane.dev/v1=true'],
    }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts with five 1 MiB ConfigMaps and 20,000 small ones in etcd', { timeout: 300_000 }, async () => {
    await k.ok(['create', 'namespace', 'big']);
    await k.ok(['create', 'namespace', 'many']);
    for (let i = 0; i < 5; i++) {
      const file = join(dir, `data-${i}`);
      writeFileSync(file, String(i).repeat(MiB));
      await k.ok(['create', 'configmap', `big-${i}`, '-n', 'big', `--from-file=data=${file}`]);
    }
    await k.ok(['create', 'configmap', 'seed', '-n', 'many', '--from-literal=k=v']);
    await cloneConfigMaps(etcd, 'many', 'seed', SMALL);

    await server.stop();
    await server.restart();

    const names = await k.ok(['get', 'configmaps', '-n', 'big', '-o', 'name']);
    assert.deepEqual(names.trim().split('\n'), [0, 1, 2, 3, 4].map((i) => `configmap/big-${i}`));
    const data = await k.ok(['get', 'configmap', 'big-3', '-n', 'big', '-o', 'jsonpath={.data.data}']);
    assert.equal(data.length, MiB);
    assert.equal(data, '3'.repeat(MiB));
    const many = await k.ok(['get', 'configmaps', '-n', 'many', '-o', 'name']);
    assert.equal(many.trim().split('\n').length, SMALL + 1);
    assert.match(await k.ok(['get', 'configmap', 'cm-12345', '-n', 'many', '-o', 'jsonpath={.data.k}']), /^v$/);
  });

  it('answers 413 naming etcd\'s limit when etcd refuses an object as too large, and writes nothing', async () => {
    const huge = `apiVersion: example.workplane.dev/v1
kind: Widget
metadata: {name: huge, namespace: big}
spec:
  image: nginx
  tags: {blob: "${'x'.repeat(2.2 * MiB)}"}
`;
    const err = await k.fails(['create', '-f', '-'], huge);
    assert.match(err, /RequestEntityTooLarge/);
    assert.match(err, /too large to store .*etcdserver: request is too large; raise etcd's --max-request-bytes/);
    assert.match(await k.fails(['get', 'widget', 'huge', '-n', 'big']), /NotFound|not found/);
    // etcd and the server carry on at once.
    await k.ok(['create', 'configmap', 'after', '-n', 'big', '--from-literal=a=b']);
  });
});

/** Copies one stored ConfigMap `count` times straight into etcd (100 per transaction). */
async function cloneConfigMaps(etcd: EtcdServer, namespace: string, name: string, count: number): Promise<void> {
  const client = new Etcd3({ hosts: etcd.endpoints });
  try {
    const prefix = `/registry/core/configmaps/${namespace}/`;
    const stored = await client.get(prefix + name).string();
    assert.ok(stored, 'the seed ConfigMap is stored where expected');
    const template = JSON.parse(stored);
    for (let i = 0; i < count; i += 100) {
      const puts = [];
      for (let j = i; j < Math.min(i + 100, count); j++) {
        const cmName = `cm-${String(j).padStart(5, '0')}`;
        const obj = { ...template, metadata: { ...template.metadata, name: cmName, uid: `00000000-0000-4000-8000-${String(j).padStart(12, '0')}` } };
        puts.push({ request_put: { key: Buffer.from(prefix + cmName), value: Buffer.from(JSON.stringify(obj)) } });
      }
      await client.kv.txn({ compare: [], success: puts, failure: [] });
    }
  } finally {
    client.close();
  }
}
