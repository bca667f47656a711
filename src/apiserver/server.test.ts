// The request listener never lets an exception escape: a failure outside the
// per-request error handling is logged and answered (or the connection closed),
// and requests for unknown resources do not grow the metrics.

import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { ApiMetrics } from './metrics.js';
import { CustomHandlers } from './resource-handler.js';
import { ApiServer, type ApiServerDeps } from './server.js';

describe('ApiServer request listener', () => {
  let server: Server;
  let port: number;
  const logged: string[] = [];
  let lookups = 0;

  before(async () => {
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line).msg) });
    const deps = {
      // A registry whose every lookup fails: first inside the request's try, then again while recording metrics.
      registry: {
        lookup: () => {
          lookups++;
          throw new Error('registry exploded');
        },
        groupVersions: () => [],
        onChange: () => {},
      },
      authenticator: { authenticate: async () => ({ username: 'admin', groups: ['system:masters'] }) },
      openapi: {},
      metrics: new ApiMetrics(),
      logger,
      version: { major: '1', minor: '32', gitVersion: 'v1.32.0' },
      custom: new CustomHandlers(),
      ready: () => true,
      serverAddress: () => '127.0.0.1:0',
    } as unknown as ApiServerDeps;
    const api = new ApiServer(deps);
    server = createServer(api.handle);
    server.on('clientError', api.onClientError);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  const get = (path: string) =>
    new Promise<{ status?: number; error?: string }>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', () => resolve({ status: res.statusCode }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code }));
      req.end();
    });

  it('logs an exception that escapes request handling and keeps serving', async () => {
    const r = await get('/api/v1/namespaces/default/configmaps');
    // The 500 for the first failure was already written; the second failure is logged, not thrown.
    assert.equal(r.status, 500);
    assert.ok(lookups >= 2);
    assert.ok(logged.includes('request handling failed unexpectedly'), logged.join());
    assert.equal((await get('/version')).status, 200);
  });
});
