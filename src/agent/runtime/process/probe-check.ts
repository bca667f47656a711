// One probe attempt, as the kubelet makes it: `httpGet` (any status from 200
// to 399 passes; TLS is not verified), `tcpSocket` (the connection opens) and
// `exec` (the command exits 0). A pod's "IP" is the loopback address here,
// since containers share the host's network.

import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { killGroup, trackGroup, untrackGroup } from './process-group.js';

export interface ProbeTarget {
  /** Named ports (`port: http`) resolve against the container's ports. */
  ports: { containerPort: number; name?: string }[];
  env: Record<string, string>;
  cwd: string;
  /** Exec probes run as the container's user. */
  runAs?: { uid: number; gid: number };
}

export type ProbeCheck = (timeoutMs: number) => Promise<boolean>;

const USER_AGENT = 'kube-probe/1.32';

/** The check a probe spec describes; a handler we do not support always passes. */
export function probeCheck(probe: Record<string, unknown>, target: ProbeTarget): ProbeCheck {
  const http = probe.httpGet as Record<string, unknown> | undefined;
  if (http) return (t) => httpCheck(http, target, t);
  const tcp = probe.tcpSocket as Record<string, unknown> | undefined;
  if (tcp) return (t) => tcpCheck(tcp, target, t);
  const exec = probe.exec as { command?: string[] } | undefined;
  if (exec) return (t) => execCheck(exec.command ?? [], target, t);
  return async () => true; // grpc: no gRPC client here; documented as passing
}

function resolvePort(port: unknown, target: ProbeTarget): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return target.ports.find((p) => p.name === port)?.containerPort;
}

function httpCheck(spec: Record<string, unknown>, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const port = resolvePort(spec.port, target);
  if (port === undefined) return Promise.resolve(false);
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
  for (const h of (spec.httpHeaders as { name: string; value: string }[] | undefined) ?? []) headers[h.name] = h.value;
  const https = String(spec.scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
  const path = typeof spec.path === 'string' && spec.path ? (spec.path.startsWith('/') ? spec.path : `/${spec.path}`) : '/';
  return new Promise((resolve) => {
    const options = { host: (spec.host as string) || '127.0.0.1', port, path, method: 'GET', headers, timeout: timeoutMs, agent: false as const };
    const req = https ? httpsRequest({ ...options, rejectUnauthorized: false }) : httpRequest(options);
    req.on('response', (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
      req.destroy();
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.on('close', () => resolve(false));
    req.end();
  });
}

function tcpCheck(spec: Record<string, unknown>, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const port = resolvePort(spec.port, target);
  if (port === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host: (spec.host as string) || '127.0.0.1', port, timeout: timeoutMs });
    socket.once('connect', () => {
      resolve(true);
      socket.destroy();
    });
    socket.once('timeout', () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

function execCheck(command: string[], target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  if (!command.length) return Promise.resolve(false);
  return new Promise((resolve) => {
    const ids = target.runAs ? { uid: target.runAs.uid, gid: target.runAs.gid } : {};
    const child = spawn(command[0]!, command.slice(1), { cwd: target.cwd, env: target.env, detached: true, stdio: 'ignore', ...ids });
    if (child.pid !== undefined) trackGroup(child.pid);
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // whatever the command left behind
      if (child.pid !== undefined) untrackGroup(child.pid);
      resolve(code === 0);
    });
  });
}
