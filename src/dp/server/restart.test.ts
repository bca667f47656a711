import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDpSession } from '../agent/dp-session.js';
import { dataplaneManifest, DpEnv, subscriptionsOf } from '../testing/dp-env.js';

test('a control plane restart closes the subscriptions the previous instance left open', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'workplane-dp-restart-'));
  try {
    const first = await DpEnv.start({ storage: 'sqlite', dataDir, instanceId: 'before' });
    const token = await first.token({ mesh: 'default', workload: 'web' });
    const session = await openDpSession({ address: first.dp.address, caPem: first.pki.caPem, token, dataplane: dataplaneManifest('web-1', { workload: 'web' }) });
    // A crash: nothing gets to record the disconnect.
    await first.dp.stop({ abrupt: true });
    const [open] = subscriptionsOf(await first.insight('default', 'web-1'));
    assert.equal(open.disconnectTime, undefined);
    await first.cp.stop();

    const second = await DpEnv.start({ storage: 'sqlite', dataDir, instanceId: 'after' });
    try {
      const [sub] = subscriptionsOf(await second.insight('default', 'web-1'));
      assert.equal(sub.controlPlaneInstanceId, 'before');
      assert.ok(sub.disconnectTime, 'closed by the new instance before it serves streams');
    } finally {
      await session.close(false);
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
