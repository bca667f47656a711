import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ContainerLaunch, ContainerRuntimeStatus, PodLaunch, Runtime } from '../types.js';
import { runtimeContract } from '../runtime-contract.js';
import { createProcessRuntime } from './process-runtime.js';

/**
 * Whether a process of the group still runs. Killed grandchildren are
 * reparented to init and linger as zombies until it reaps them; they do not count.
 */
function groupAlive(pgid: number): boolean {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

let root: string;
let rt: Runtime;
let seq = 0;
const groups: number[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wp-procrt-'));
  rt = createProcessRuntime({ rootDir: root, probeIntervalScale: 0.02, backoffBaseMs: 40, backoffMaxMs: 160 });
});

afterEach(async () => {
  await rt.close();
  for (const pgid of groups.splice(0)) assert.equal(groupAlive(pgid), false, `process group ${pgid} survived close()`);
  rmSync(root, { recursive: true, force: true });
});

function pod(containers: Partial<ContainerLaunch>[], extra: Partial<PodLaunch> = {}): PodLaunch {
  const uid = `uid-${++seq}`;
  return {
    uid,
    namespace: 'default',
    name: `p${seq}`,
    nodeName: 'n1',
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', env: [], ports: [], ...c })),
    pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${seq}`, namespace: 'default', uid } },
    ...extra,
  };
}

const sh = (script: string): Partial<ContainerLaunch> => ({ command: ['sh', '-c', script] });

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - start > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const container = (p: PodLaunch, i = 0): ContainerRuntimeStatus => rt.status(p.uid)!.containers[i]!;

async function text(s: Readable | undefined): Promise<string> {
  assert.ok(s, 'expected a log stream');
  let out = '';
  for await (const chunk of s) out += String(chunk);
  return out;
}

async function logsOf(p: PodLaunch, opts: Record<string, unknown> = {}, name = 'c0'): Promise<string> {
  return text(rt.logs(p.uid, { container: name, ...opts }));
}

/** Waits until the container's current log contains `needle`. */
async function logged(p: PodLaunch, needle: string, name = 'c0'): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = rt.logs(p.uid, { container: name });
    const t = s ? await text(s) : '';
    if (t.includes(needle)) return t;
    if (Date.now() - start > 15_000) throw new Error(`timed out waiting for log "${needle}", got ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The container prints its process group id (`pgid N`) so tests can check it is gone afterwards. */
async function trackPgid(p: PodLaunch, name = 'c0'): Promise<void> {
  const t = await logged(p, 'pgid ', name);
  groups.push(Number(/pgid (\d+)/.exec(t)![1]));
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('process runtime', () => {
  it('runs a command, reports Running and serves its logs', async () => {
    const p = pod([sh('echo pgid $$; echo hello; echo world; sleep 100')]);
    rt.sync(p);
    rt.sync(p); // idempotent
    await trackPgid(p);
    await until('running', () => 'running' in container(p).state);
    const c = container(p);
    assert.equal(c.ready, true);
    assert.equal(c.started, true);
    assert.equal(c.restartCount, 0);
    assert.match(c.containerID!, /^process:\/\/[0-9a-f]{64}$/);
    assert.equal(await logged(p, 'world'), `pgid ${groups[0]}\nhello\nworld\n`);
    assert.equal(await logsOf(p, { tailLines: 1 }), 'world\n');
    assert.match(await logsOf(p, { tailLines: 2, timestamps: true }), /^\d{4}-\d\d-\d\dT[\d:.]+Z hello\n\S+Z world\n$/);
    assert.equal(await logsOf(p, { limitBytes: 3, tailLines: 1 }), 'wor');
    assert.equal(rt.logs(p.uid, { container: 'nope' }), undefined);
    assert.equal(rt.logs('nope', { container: 'c0' }), undefined);
  });

  it('passes command, args and env exactly (plus PATH) and runs in a per-pod directory', async () => {
    const p = pod([
      { command: ['sh', '-c', 'echo "$FOO|${HOME:-nohome}|$1|$2"; pwd'], args: ['x', '$(BAR)', 'two words'], env: [{ name: 'FOO', value: 'f' }, { name: 'BAR', value: 'b' }] },
    ], { restartPolicy: 'Never' });
    rt.sync(p);
    await until('terminated', () => rt.status(p.uid)?.terminalPhase);
    assert.equal(await logsOf(p), `f|nohome|$(BAR)|two words\n${join(root, 'pods', p.uid, 'root')}\n`);
    assert.equal(rt.status(p.uid)!.terminalPhase, 'Succeeded');
    const state = container(p).state;
    assert.ok('terminated' in state && state.terminated.exitCode === 0 && state.terminated.reason === 'Completed');
  });

  it('restartPolicy Never: a failed container stays terminated and the pod fails; leftover children are killed', async () => {
    const p = pod([sh('echo pgid $$; sleep 1000 & echo bye; exit 3')], { restartPolicy: 'Never' });
    rt.sync(p);
    await trackPgid(p);
    assert.equal(await until('terminal', () => rt.status(p.uid)?.terminalPhase), 'Failed');
    const c = container(p);
    assert.deepEqual({ ...('terminated' in c.state ? c.state.terminated : {}), startedAt: undefined, finishedAt: undefined }, {
      exitCode: 3,
      reason: 'Error',
      startedAt: undefined,
      finishedAt: undefined,
    });
    assert.equal(c.restartCount, 0);
    await until('background sleep killed', () => !groupAlive(groups[0]!));
  });

  it('restartPolicy OnFailure: exit 0 completes the pod', async () => {
    const p = pod([sh('exit 0')], { restartPolicy: 'OnFailure' });
    rt.sync(p);
    assert.equal(await until('terminal', () => rt.status(p.uid)?.terminalPhase), 'Succeeded');
    assert.equal(container(p).restartCount, 0);
  });

  it('a command that cannot start is a StartError', async () => {
    const p = pod([{ command: ['/nonexistent/program'] }], { restartPolicy: 'Never' });
    rt.sync(p);
    assert.equal(await until('terminal', () => rt.status(p.uid)?.terminalPhase), 'Failed');
    const s = container(p).state;
    assert.ok('terminated' in s);
    assert.equal(s.terminated.reason, 'StartError');
    assert.equal(s.terminated.exitCode, 128);
    assert.match(s.terminated.message!, /"\/nonexistent\/program"/);
  });

  it('restarts a crashing container with CrashLoopBackOff and keeps the previous run’s logs', async () => {
    const script = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "run $n"; exit 2';
    const p = pod([sh(script)]);
    rt.sync(p);
    const waiting = await until('CrashLoopBackOff', () => {
      const c = container(p);
      return 'waiting' in c.state && c.state.waiting.reason === 'CrashLoopBackOff' && c;
    });
    assert.ok('waiting' in waiting.state);
    assert.match(waiting.state.waiting.message!, new RegExp(`^back-off (40|80|160)ms restarting failed container=c0 pod=${p.name}_default\\(${p.uid}\\)$`));
    assert.ok(waiting.lastState && 'terminated' in waiting.lastState);
    assert.equal(waiting.lastState.terminated.exitCode, 2);
    assert.equal(waiting.lastState.terminated.reason, 'Error');
    assert.equal(waiting.ready, false);
    await until('restartCount climbing', () => container(p).restartCount >= 3);
    // While waiting, both current and previous logs are the last run's.
    const c = await until('back-off again', () => 'waiting' in container(p).state && container(p));
    const last = `run ${c.restartCount + 1}\n`;
    assert.equal(await logsOf(p), last);
    assert.equal(await logsOf(p, { previous: true }), last);
    assert.equal(rt.status(p.uid)!.terminalPhase, undefined);
  });

  it('previous shows the crashed run while the new one runs', async () => {
    const script = 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "run $n"; [ $n -ge 2 ] && exec sleep 100; exit 7';
    const p = pod([sh(script)]);
    rt.sync(p);
    await until('second run', () => container(p).restartCount === 1 && 'running' in container(p).state);
    assert.equal(await logged(p, 'run 2'), 'run 2\n');
    assert.equal(await logsOf(p, { previous: true }), 'run 1\n');
    const last = container(p).lastState;
    assert.ok(last && 'terminated' in last && last.terminated.exitCode === 7);
  });

  it('previous is undefined when there was no earlier run', async () => {
    const p = pod([sh('sleep 100')]);
    rt.sync(p);
    await until('running', () => 'running' in container(p).state);
    assert.equal(rt.logs(p.uid, { container: 'c0', previous: true }), undefined);
  });

  it('follows logs until the container stops', async () => {
    const p = pod([sh('echo one; while [ ! -f stop ]; do sleep 0.02; done; echo two')], { restartPolicy: 'Never' });
    rt.sync(p);
    await logged(p, 'one');
    const stream = rt.logs(p.uid, { container: 'c0', follow: true })!;
    let got = '';
    stream.on('data', (c) => (got += String(c)));
    const ended = new Promise((r) => stream.on('end', r));
    await until('first line', () => got === 'one\n');
    writeFileSync(join(root, 'pods', p.uid, 'root', 'stop'), '');
    await ended;
    assert.equal(got, 'one\ntwo\n');
  });

  it('httpGet readiness: not ready until the server answers 2xx', async () => {
    const port = await freePort();
    const server = `
      const http = require('http'), fs = require('fs');
      console.log('pgid ' + process.pid);
      http.createServer((req, res) => {
        console.log('probe ' + req.url + ' ' + req.headers['user-agent']);
        res.writeHead(fs.existsSync('go') ? 200 : 503); res.end();
      }).listen(Number(process.env.PORT), '127.0.0.1');`;
    const p = pod([
      {
        command: [process.execPath, '-e', server],
        env: [{ name: 'PORT', value: String(port) }],
        ports: [{ containerPort: port, name: 'http' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
      },
    ]);
    rt.sync(p);
    await trackPgid(p);
    const probes = (t: string) => t.split('probe /healthz kube-probe/1.').length - 1;
    await until('three probes', async () => probes(await logsOf(p)) >= 3);
    assert.equal(container(p).ready, false);
    writeFileSync(join(root, 'pods', p.uid, 'root', 'go'), '');
    await until('ready', () => container(p).ready);
  });

  it('tcpSocket probes: readiness passes on an open port, liveness on a closed one restarts the container', async () => {
    const open = await freePort();
    const closed = await freePort();
    const listener = `require('net').createServer(() => {}).listen(${open}, '127.0.0.1'); console.log('pgid ' + process.pid);`;
    const p = pod([
      { command: [process.execPath, '-e', listener], readinessProbe: { tcpSocket: { port: open }, periodSeconds: 1 } },
      { ...sh('echo pgid $$; exec sleep 100'), livenessProbe: { tcpSocket: { port: closed }, periodSeconds: 1, failureThreshold: 1 } },
    ]);
    rt.sync(p);
    await trackPgid(p, 'c0');
    await until('ready', () => container(p, 0).ready);
    await until('liveness restarts', () => container(p, 1).restartCount >= 1);
    const last = await until('last state', () => container(p, 1).lastState);
    assert.ok('terminated' in last);
    assert.equal(last.terminated.exitCode, 143);
    assert.equal(last.terminated.signal, 15);
    await trackPgid(p, 'c1');
  });

  it('exec probes: startup gates started, readiness follows the command', async () => {
    const p = pod([
      {
        ...sh('echo pgid $$; exec sleep 100'),
        startupProbe: { exec: { command: ['test', '-f', 'started'] }, periodSeconds: 1, failureThreshold: 100000 },
        readinessProbe: { exec: { command: ['test', '-f', 'ready'] }, periodSeconds: 1 },
      },
    ]);
    rt.sync(p);
    await trackPgid(p);
    await until('running', () => 'running' in container(p).state);
    assert.equal(container(p).started, false);
    assert.equal(container(p).ready, false);
    const dir = join(root, 'pods', p.uid, 'root');
    writeFileSync(join(dir, 'started'), '');
    await until('started', () => container(p).started);
    assert.equal(container(p).ready, false);
    writeFileSync(join(dir, 'ready'), '');
    await until('ready', () => container(p).ready);
    rmSync(join(dir, 'ready'));
    await until('not ready again', () => !container(p).ready);
    assert.equal(container(p).restartCount, 0);
  });

  it('graceful termination: a process that handles SIGTERM exits within the grace period', async () => {
    const p = pod([sh('trap "echo bye; exit 0" TERM; echo pgid $$; while true; do sleep 0.05; done')]);
    rt.sync(p);
    await trackPgid(p);
    await rt.kill(p.uid, 3600); // would time the test out if it waited for the grace period
    const s = container(p).state;
    assert.ok('terminated' in s);
    assert.equal(s.terminated.exitCode, 0);
    assert.equal(s.terminated.reason, 'Completed');
    assert.match(await logsOf(p), /bye\n$/);
    assert.equal(rt.status(p.uid)!.terminalPhase, 'Succeeded');
    rt.sync(p); // a killed pod is not started again
    assert.ok('terminated' in container(p).state);
  });

  it('graceful termination: a process that ignores SIGTERM is killed after the grace period', async () => {
    const p = pod([sh('trap "" TERM; echo pgid $$; while true; do sleep 0.05; done')], { terminationGracePeriodSeconds: 1 });
    rt.sync(p);
    await trackPgid(p);
    await rt.kill(p.uid, 1);
    const s = container(p).state;
    assert.ok('terminated' in s);
    assert.equal(s.terminated.exitCode, 137);
    assert.equal(s.terminated.signal, 9);
    assert.equal(s.terminated.reason, 'Error');
    assert.equal(groupAlive(groups[0]!), false);
  });

  it('a container without a command cannot be created here: CreateContainerError, never running', async () => {
    const p = pod([{ image: 'nginx' }, sh('exec sleep 100')]);
    const changes: string[] = [];
    rt.onChange((uid) => changes.push(uid));
    rt.sync(p);
    await until('the other container running', () => 'running' in container(p, 1).state);
    const c = container(p);
    assert.deepEqual(c.state, { waiting: { reason: 'CreateContainerError', message: 'no command to run: the process runtime runs container commands, not images' } });
    assert.equal(c.ready, false);
    assert.equal(c.started, false);
    assert.equal(c.restartCount, 0);
    assert.equal(c.containerID, undefined);
    assert.equal(c.image, 'nginx');
    assert.equal(rt.logs(p.uid, { container: 'c0' }), undefined);
    await until('listeners told', () => changes.includes(p.uid));
    // A new image brings no command either.
    rt.sync({ ...p, containers: [{ ...p.containers[0]!, image: 'nginx:2' }, p.containers[1]!] });
    assert.equal((container(p).state as { waiting?: { reason: string } }).waiting?.reason, 'CreateContainerError');
    assert.equal(container(p).image, 'nginx:2');
    await rt.kill(p.uid, 0);
    assert.equal(rt.status(p.uid)!.terminalPhase, 'Failed');
  });

  it('a new image stops the old process gracefully, reporting the old image until it has exited', async () => {
    const p = pod([sh('trap "echo stopping; sleep 0.3; exit 0" TERM; echo pgid $$; sleep 100 & wait')], { terminationGracePeriodSeconds: 10 });
    rt.sync(p);
    await trackPgid(p);
    const before = container(p);
    rt.sync({ ...p, containers: [{ ...p.containers[0]!, image: 'busybox:2' }] });
    await logged(p, 'stopping');
    assert.equal(container(p).image, 'busybox', 'the old run is still stopping');
    assert.equal(container(p).containerID, before.containerID);
    await until('restarted', () => container(p).restartCount === 1 && 'running' in container(p).state);
    const after = container(p);
    assert.equal(after.image, 'busybox:2');
    assert.notEqual(after.containerID, before.containerID);
    assert.deepEqual({ ...(after.lastState as { terminated: object }).terminated, startedAt: 0, finishedAt: 0 }, { exitCode: 0, reason: 'Completed', startedAt: 0, finishedAt: 0 });
    assert.match(await logsOf(p, { previous: true }), /stopping\n$/);
    await trackPgid(p);
  });

  it('a new image restarts the container; remove() deletes the pod directory', async () => {
    const p = pod([sh('echo pgid $$; exec sleep 100')]);
    rt.sync(p);
    await trackPgid(p);
    rt.sync({ ...p, containers: [{ ...p.containers[0]!, image: 'busybox:2' }] });
    await until('restarted', () => container(p).restartCount === 1 && 'running' in container(p).state);
    assert.equal(container(p).image, 'busybox:2');
    await trackPgid(p);
    const dir = join(root, 'pods', p.uid);
    assert.ok(existsSync(dir));
    rt.remove(p.uid);
    assert.equal(rt.status(p.uid), undefined);
    await until('directory removed', () => !existsSync(dir));
  });

  it('reports changes through onChange and close() leaves no process behind', async () => {
    const seen = new Set<string>();
    rt.onChange((uid) => seen.add(uid));
    const p = pod([sh('echo pgid $$; sleep 1000 & sleep 1000 & wait'), sh('echo pgid $$; trap "" TERM; sleep 1000')]);
    rt.sync(p);
    await trackPgid(p, 'c0');
    await trackPgid(p, 'c1');
    await until('notified', () => seen.has(p.uid));
  });
});

describe('process runtime: the runtime contract', () => {
  runtimeContract({
    runtime: () => rt,
    launch: (containers, restartPolicy) =>
      pod(
        containers.map((c) => ({ name: c.name, image: c.image, ...sh(c.behaviour === 'runs' ? 'exec sleep 100' : 'exit 0') })),
        { restartPolicy, terminationGracePeriodSeconds: 5 },
      ),
  });
});
