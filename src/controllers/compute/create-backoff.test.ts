// Create pacing after refusals: doubling waits, reset by success, a new
// generation or a quota change.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBackoff } from './create-backoff.js';

describe('CreateBackoff', () => {
  it('waits 1 s, 2 s, 4 s... after refusals and reports the last one meanwhile', () => {
    const b = new CreateBackoff();
    assert.equal(b.record('k', 1, 'refused', 0), 1000);
    assert.deepEqual(b.blocked('k', 1, 500), { failure: 'refused', retryInMs: 500 });
    assert.equal(b.blocked('k', 1, 1000), undefined);
    assert.equal(b.record('k', 1, 'refused again', 1000), 2000);
    assert.equal(b.record('k', 1, 'refused again', 3000), 4000);
    assert.equal(b.blocked('k', 2, 3500), undefined, 'a new generation tries at once');
    b.unblock('k');
    assert.equal(b.blocked('k', 1, 3500), undefined, 'a quota change tries at once');
    assert.equal(b.record('k', 1, undefined), undefined);
    assert.equal(b.record('k', 1, 'refused', 0), 1000, 'success starts the waits over');
  });
});
