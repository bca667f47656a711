// The logs of real `workplane serve` and `workplane agent` processes, read as
// a log collector (JSON, strict about duplicate keys) and as a person (text,
// one line per record) would read them. A refused data plane proxy makes the
// server log a record whose fields once carried a second `msg`.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLogLines } from '../testing/log-lines.js';
import { CLI, ServerProcess } from '../testing/server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, context: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${context()}`);
    await sleep(100);
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (((err as { code?: unknown }).code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

const DATAPLANE = `apiVersion: kuma.io/v1alpha1
kind: Dataplane
metadata:
  name: refused-01
  namespace: default
  labels:
    kuma.io/workload: web
spec:
  networking:
    address: 127.0.0.1
    inbound:
    - port: 8080
      tags:
        kuma.io/service: web
`;

describe('log formats of real processes', { timeout: 180_000 }, () => {
  let tmp: string;
  const servers: ServerProcess[] = [];

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'workplane-logs-'));
  });

  after(async () => {
    for (const s of servers) await s.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('serve --log-format json: every stderr line is one record with one msg; a refused proxy is logged with its reason', async () => {
    const server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0', '--log-level', 'info', '--log-format', 'json'] }).start();
    servers.push(server);
    const dpFile = join(tmp, 'dp.yaml');
    const tokenFile = join(tmp, 'token');
    writeFileSync(dpFile, DATAPLANE);
    writeFileSync(tokenFile, 'not-a-token');
    const proxy = await run(['dp', 'run', '--dataplane-file', dpFile, '--token-file', tokenFile], { KUBECONFIG: server.kubeconfig });
    assert.notEqual(proxy.code, 0, `dp run with a bad token must fail:\n${proxy.stdout}${proxy.stderr}`);
    await until('the refusal in the server log', () => server.stderr.includes('dp stream refused or ended'), () => server.stderr);

    const records = parseLogLines(server.stderr); // throws on a duplicate key
    assert.ok(records.length >= 2, server.stderr);
    for (const r of records) {
      assert.equal(typeof r.msg, 'string', JSON.stringify(r));
      assert.equal(typeof r.level, 'number');
      assert.equal(r.component, 'workplane');
    }
    assert.ok(records.some((r) => r.msg === 'control plane started'));
    const refused = records.find((r) => r.msg === 'dp stream refused or ended')!;
    assert.equal(typeof refused.error, 'string');
    assert.notEqual(refused.error, '');
  });

  it('serve --log-format text: one readable line per record', async () => {
    const server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0', '--log-level', 'info', '--log-format', 'text'] }).start();
    servers.push(server);
    await until('the start record', () => server.stderr.includes('control plane started'), () => server.stderr);
    const lines = server.stderr.split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 1);
    for (const l of lines) assert.match(l, /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): \S/, l);
    assert.ok(lines.some((l) => /INFO: control plane started \{.*"url":"https:\/\/127\.0\.0\.1:\d+"/.test(l)), server.stderr);
    assert.ok(!lines.some((l) => l.startsWith('{')), 'no JSON records in text mode');
  });

  it('serve without --log-format writes JSON when stderr is not a terminal', async () => {
    const server = servers[0]!;
    const plain = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0', '--log-level', 'info'] }).start();
    servers.push(plain);
    await until('the start record', () => plain.stderr.includes('control plane started'), () => plain.stderr);
    assert.ok(parseLogLines(plain.stderr).some((r) => r.msg === 'control plane started'));
    assert.ok(server.url);
  });

  it('agent --log-format json and text', async () => {
    const server = servers[0]!;
    const ca = join(server.dataDir, 'pki', 'ca.crt');
    for (const format of ['json', 'text'] as const) {
      const args = [CLI, 'agent', '--server', server.url, `--token=${server.adminToken}`, '--ca-file', ca, '--nodes', '1', '--name-prefix', `logs-${format}`, '--log-level', 'debug', '--log-format', format, '--root-dir', join(tmp, `agent-${format}`)];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      try {
        await until(`agent (${format}) running`, () => out.includes('agent running'), () => out + err);
        await until(`agent (${format}) logs`, () => err.split('\n').filter(Boolean).length > 0, () => out + err);
      } finally {
        child.kill('SIGTERM');
        assert.equal(await exited, 0, out + err);
      }
      const lines = err.split('\n').filter(Boolean);
      if (format === 'json') {
        for (const r of parseLogLines(err)) {
          assert.equal(r.component, 'workplane-agent');
          assert.equal(typeof r.msg, 'string');
        }
      } else {
        for (const l of lines) assert.match(l, /^\[\d\d:\d\d:\d\d\.\d{3}\] (DEBUG|INFO|WARN|ERROR): \S/, l);
      }
    }
  });

  it('refuses an unknown --log-format', async () => {
    const r = await run(['serve', '--log-format', 'pretty', '--data-dir', join(tmp, 'never')], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--log-format must be text or json, not "pretty"/);
  });
});
