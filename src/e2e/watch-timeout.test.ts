// kube-apiserver's --min-request-timeout: a watch that names no timeoutSeconds
// (or 0) ends cleanly after a random time between the setting and twice it,
// so that clients reconnect at spread-out times; one that names a timeout
// keeps it. Here the setting is 1 s.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { rawWatch } from './support/raw-http.js';

describe('watches end after --min-request-timeout when they name no timeout', () => {
  let cp: ControlPlane;
  let dir: string;
  const cms = '/api/v1/namespaces/default/configmaps';

  const openWatch = (query: string) => rawWatch({ url: cp.url, caPem: cp.caPem, adminToken: cp.adminToken }, `${cms}?watch=true${query}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-watch-timeout-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, storage: 'memory', apiOnly: true, httpLimits: { minRequestTimeoutSeconds: 1 } }));
  });
  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without timeoutSeconds, or with 0, the watch ends cleanly, not before the minimum', async () => {
    for (const query of ['', '&timeoutSeconds=0']) {
      const started = Date.now();
      const w = openWatch(query);
      assert.equal(await w.status, 200);
      assert.equal(await w.ended, 'end');
      const endedAt = Date.now();
      assert.ok(endedAt - started >= 1000, `${query || 'no timeoutSeconds'}: ended after ${endedAt - started} ms`);
    }
  });

  it('a timeout the client names is kept', async () => {
    const w = openWatch('&timeoutSeconds=30');
    let open = true;
    void w.ended.then(() => (open = false));
    try {
      assert.equal(await w.status, 200);
      await new Promise((r) => setTimeout(r, 2500));
      assert.ok(open, 'the watch with timeoutSeconds=30 ended early');
    } finally {
      w.close();
    }
  });

  it('the serve flag sets it', async () => {
    const { parseServeArgs } = await import('../cli/serve.js');
    const opts = parseServeArgs(['--min-request-timeout', '60']);
    assert.ok(opts !== 'help');
    assert.equal(opts.httpLimits?.minRequestTimeoutSeconds, 60);
    assert.equal((parseServeArgs([]) as Exclude<ReturnType<typeof parseServeArgs>, 'help'>).httpLimits?.minRequestTimeoutSeconds, 1800);
    assert.throws(() => parseServeArgs(['--min-request-timeout=-5']), /--min-request-timeout must be a non-negative integer/);
  });
});
