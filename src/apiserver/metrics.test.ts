// /metrics reports request counters and per-resource object counts from the watch cache.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonClient } from '../bench/http.js';
import { startControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';

test('/metrics counts stored objects per resource and requests per verb', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-metrics-'));
  const cp = await startControlPlane(serveOptions({ dataDir: dir, apiOnly: true }));
  const c = new JsonClient(cp.url, cp.adminToken, cp.caPem);
  try {
    for (const name of ['a', 'b', 'c']) await c.send('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name } });
    const r = await c.send('GET', '/metrics');
    assert.equal(r.status, 200);
    const text = String(r.body);
    assert.match(text, /^apiserver_storage_objects\{resource="configmaps"\} 3$/m);
    assert.match(text, /^apiserver_request_total\{verb="create",group="",resource="configmaps",subresource="",code="201"\} 3$/m);
  } finally {
    c.close();
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
