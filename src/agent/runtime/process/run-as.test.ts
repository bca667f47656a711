// Pods of the process runtime run as an unprivileged user: as root (as on
// this machine and in CI) a container reports uid nobody, works in a
// directory it owns, and cannot read 0600 keys or a 0700 data directory.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { createProcessRuntime } from './process-runtime.js';
import { assertReachable, parseRunAsUser, resolveRunAs } from './run-as.js';

const isRoot = process.getuid?.() === 0;

async function text(s: Readable | undefined): Promise<string> {
  let out = '';
  for await (const c of s ?? []) out += String(c);
  return out;
}

describe('run as user', () => {
  it('reads USER, UID and USER:GROUP forms, and names what is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-runas-'));
    try {
      const passwd = join(dir, 'passwd');
      const group = join(dir, 'group');
      writeFileSync(passwd, 'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\napp:x:1000:1001::/home/app:/bin/sh\n');
      writeFileSync(group, 'nogroup:x:65534:\nstaff:x:50:\n');
      const files = { passwd, group };
      assert.deepEqual(parseRunAsUser('nobody', files), { uid: 65534, gid: 65534, name: 'nobody' });
      assert.deepEqual(parseRunAsUser('app', files), { uid: 1000, gid: 1001, name: 'app' });
      assert.deepEqual(parseRunAsUser('1000:50', files), { uid: 1000, gid: 50, name: '1000' });
      assert.deepEqual(parseRunAsUser('4242', files), { uid: 4242, gid: 4242, name: '4242' });
      assert.deepEqual(parseRunAsUser('app:staff', files), { uid: 1000, gid: 50, name: 'app' });
      assert.throws(() => parseRunAsUser('ghost', files), /unknown user "ghost"/);
      assert.throws(() => parseRunAsUser('app:ghosts', files), /unknown group "ghosts"/);
      assert.throws(() => parseRunAsUser('a:b:c', files), /expected USER, UID, USER:GROUP or UID:GID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the agent with a warning when the agent is not root', () => {
    const warnings: string[] = [];
    assert.equal(resolveRunAs(undefined, (m) => warnings.push(m), false), undefined);
    assert.match(warnings[0]!, /not running as root: pods run as the agent's own user/);
    assert.throws(() => resolveRunAs('nobody', () => {}, false), /must run as root to run pods as another user/);
    assert.equal(resolveRunAs(undefined, () => {}, true)!.name, 'nobody');
  });

  it('as root: a pod runs as nobody in its own directory and cannot read keys or the data dir', { skip: !isRoot && 'needs root' }, async () => {
    const parent = mkdtempSync(join(tmpdir(), 'wp-runas-'));
    chmodSync(parent, 0o711);
    const rootDir = join(parent, 'agent');
    mkdirSync(rootDir, { mode: 0o711 });
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(join(dataDir, 'admin.token'), 'admin-secret', { mode: 0o600 });
    mkdirSync(join(rootDir, 'pki', 'n1'), { recursive: true, mode: 0o700 });
    const key = join(rootDir, 'pki', 'n1', 'client.key');
    writeFileSync(key, 'key-secret', { mode: 0o600 });
    const runAs = parseRunAsUser('nobody');
    assertReachable(rootDir, runAs);
    const rt = createProcessRuntime({ rootDir, runAs });
    try {
      const script = `id -u; id -g; pwd; touch mine && echo wrote; cat ${key}; ls ${dataDir}; cat ${dataDir}/admin.token; exit 0`;
      rt.sync({
        uid: 'u1',
        namespace: 'default',
        name: 'who',
        nodeName: 'n1',
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `${script} 2>&1`], env: [], ports: [] }],
        pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'who', namespace: 'default', uid: 'u1' } },
      });
      for (let i = 0; !rt.status('u1')?.terminalPhase; i++) await new Promise((r) => setTimeout(r, 20));
      const out = await text(rt.logs('u1', { container: 'c' }));
      const lines = out.trim().split('\n');
      assert.equal(lines[0], String(runAs.uid));
      assert.equal(lines[1], String(runAs.gid));
      const workDir = join(rootDir, 'pods', 'u1', 'root');
      assert.equal(lines[2], workDir);
      assert.equal(lines[3], 'wrote');
      assert.equal(statSync(workDir).uid, runAs.uid);
      assert.equal(out.match(/Permission denied/g)?.length, 3, out);
      assert.doesNotMatch(out, /secret/);
    } finally {
      await rt.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('refuses a root dir the pods\' user cannot reach', { skip: !isRoot && 'needs root' }, () => {
    const parent = mkdtempSync(join(tmpdir(), 'wp-runas-'));
    try {
      assert.throws(() => assertReachable(join(parent, 'x'), parseRunAsUser('nobody')), /pods run as nobody \(uid 65534\), who cannot reach it: .* is mode 0700; let others pass through it/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
