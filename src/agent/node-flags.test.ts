import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabels, parseTaints } from './node-flags.js';

describe('node flags', () => {
  it('parses --labels', () => {
    assert.deepEqual(parseLabels('zone=a, team=x=y,empty='), { zone: 'a', team: 'x=y', empty: '' });
    assert.deepEqual(parseLabels(undefined), {});
    assert.throws(() => parseLabels('novalue'), /--labels: "novalue" is not key=value/);
  });

  it('parses --taints', () => {
    assert.deepEqual(parseTaints('gpu=yes:NoSchedule,spot:PreferNoSchedule'), [
      { key: 'gpu', value: 'yes', effect: 'NoSchedule' },
      { key: 'spot', effect: 'PreferNoSchedule' },
    ]);
    assert.throws(() => parseTaints('gpu=yes'), /is not key\[=value\]:NoSchedule\|PreferNoSchedule\|NoExecute/);
    assert.throws(() => parseTaints('gpu:Sometimes'), /--taints/);
  });
});
