// The baseline every API figure is printed beside: a bare node:https server,
// with the API server's own certificate, answering the same JSON (a GET
// returns the very bytes the API server returned for the object; a create
// parses the body, adds metadata and answers it). It does no
// authentication, validation, storage or watch: what is left is the floor
// node and TLS set. Run as a child process; `startBaseline` forks it.

import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface BaselineConfig {
  certPem: string;
  keyPem: string;
  /** The JSON a GET answers. */
  objectJson: string;
}

export interface Baseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function serve(cfg: BaselineConfig): Server {
  let rv = 0;
  let object = cfg.objectJson;
  return createServer({ cert: cfg.certPem, key: cfg.keyPem, keepAliveTimeout: 90_000 }, (req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(object) });
      res.end(object);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { metadata?: Record<string, unknown>; data?: Record<string, string> };
      let text: string;
      if (req.method === 'PATCH') {
        const current = JSON.parse(object) as typeof body;
        current.data = { ...current.data, ...body.data };
        current.metadata = { ...current.metadata, resourceVersion: String(++rv) };
        text = object = JSON.stringify(current);
      } else {
        body.metadata = { ...body.metadata, namespace: 'bench', uid: randomUUID(), resourceVersion: String(++rv), creationTimestamp: new Date().toISOString() };
        text = JSON.stringify(body);
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
}

/** Forks the baseline server under `launcher` (e.g. taskset) and resolves once it listens. */
export function startBaseline(cfg: BaselineConfig, launcher: string[] = []): Promise<Baseline> {
  const entry = fileURLToPath(import.meta.url);
  const [cmd, ...prefix] = launcher;
  const child: ChildProcess = cmd
    ? fork(entry, ['--child'], { execPath: cmd, execArgv: [...prefix, process.execPath], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : fork(entry, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) =>
      resolve({
        url: `https://127.0.0.1:${m.port}`,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((r) => {
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
    child.send(cfg);
  });
}

if (process.argv[2] === '--child') {
  process.once('message', (cfg: BaselineConfig) => {
    const server = serve(cfg);
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  });
  process.on('disconnect', () => process.exit(0));
}
