import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../api/core/index.js';
import { ApiError } from '../api/errors.js';
import type { HandlerContext } from '../apiserver/request-context.js';
import { CustomHandlers } from '../apiserver/resource-handler.js';
import { SYSTEM_USER } from '../client/in-process-client.js';
import { startTestApi, type TestApi } from '../client/testing.js';
import { registerEvictionHandler } from './eviction.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** A request to the handler without a server: the body in, the status code and JSON out. */
function request(api: TestApi, name: string, body: unknown): { ctx: HandlerContext; out: { code?: number; body?: Record<string, unknown> } } {
  const out: { code?: number; body?: Record<string, unknown> } = {};
  const res = {
    headersSent: false,
    writeHead(code: number) {
      out.code = code;
      return res;
    },
    end(text: string) {
      out.body = JSON.parse(text) as Record<string, unknown>;
    },
  };
  const ctx: HandlerContext = {
    req: { method: 'POST', headers: { 'content-type': 'application/json' } } as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    info: { kind: 'resource', group: '', version: 'v1', namespace: 'default', resource: 'pods', name, subresource: 'eviction', verb: 'create' },
    query: new URLSearchParams(),
    store: api.registry.forKind('', 'Pod')!,
    user: SYSTEM_USER,
    body: async () => Buffer.from(JSON.stringify(body)),
  };
  return { ctx, out };
}

const eviction = (name: string, deleteOptions?: Record<string, unknown>) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  ...(deleteOptions ? { deleteOptions } : {}),
});

describe('pods/eviction', () => {
  let api: TestApi;
  const custom = new CustomHandlers();
  const handler = () => custom.get('', 'pods', 'eviction')!;
  const pods = () => api.client.resource(PODS);
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });

  before(async () => {
    api = await startTestApi(coreDefinitions);
    registerEvictionHandler(custom, api.registry);
  });
  after(() => api.close());

  it('deletes the pod honoring deleteOptions and answers 201 Success', async () => {
    await pods().create('default', pod('a'));
    const { ctx, out } = request(api, 'a', eviction('a', { gracePeriodSeconds: 0 }));
    await handler()(ctx);
    assert.equal(out.code, 201);
    assert.deepEqual(out.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal(await pods().get('default', 'a'), undefined);
  });

  it('without deleteOptions a bound pod gets its graceful deletion', async () => {
    await pods().create('default', pod('b'));
    const { ctx, out } = request(api, 'b', eviction('b'));
    await handler()(ctx);
    assert.equal(out.code, 201);
    const left = await pods().get('default', 'b');
    assert.ok(left?.metadata.deletionTimestamp);
    assert.equal(left?.metadata.deletionGracePeriodSeconds, 30);
  });

  it('answers 404 for a missing pod and 400 for a mismatched name', async () => {
    await assert.rejects(handler()(request(api, 'gone', eviction('gone')).ctx), (e: ApiError) => e.code === 404 && /pods "gone" not found/.test(e.message));
    await pods().create('default', pod('c'));
    await assert.rejects(handler()(request(api, 'c', eviction('other')).ctx), (e: ApiError) => e.code === 400 && /does not match/.test(e.message));
    assert.ok(await pods().get('default', 'c'));
  });
});
