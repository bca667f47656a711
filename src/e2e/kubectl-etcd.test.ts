// The end-to-end kubectl suite on a real etcd started for this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startEtcd } from '../testing/etcd-server.js';
import { writeSecretsKeyFile } from '../testing/server-process.js';
import { runApiSuite } from './api-suite.js';

let etcd: Awaited<ReturnType<typeof startEtcd>>;
const keyDir = mkdtempSync(join(tmpdir(), 'workplane-key-'));
const secretsKeyFile = writeSecretsKeyFile(join(keyDir, 'secrets.key'));
before(async () => {
  etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

runApiSuite('etcd', () => ({ storage: 'etcd', etcdEndpoints: etcd.endpoints, etcdPrefix: '/e2e', secretsKeyFile }));
