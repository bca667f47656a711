import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { ListState, objectKey } from './list-state.js';

const obj = (name: string, rv: string, ns?: string, extra: Record<string, unknown> = {}): KObject => ({ metadata: { name, resourceVersion: rv, ...(ns ? { namespace: ns } : {}) }, ...extra });
const names = (s: ListState) => s.items().map(objectKey);

describe('ListState', () => {
  it('starts from a LIST: its items, sorted by key, and its resourceVersion', () => {
    const s = new ListState();
    s.replace({ metadata: { resourceVersion: '10' }, items: [obj('b', '7', 'ns'), obj('a', '9', 'ns'), obj('a', '3', 'other')] });
    assert.deepEqual(names(s), ['ns/a', 'ns/b', 'other/a']);
    assert.equal(s.resourceVersion, '10');
  });

  it('applies ADDED, MODIFIED and DELETED, each moving the resume point to its resourceVersion', () => {
    const s = new ListState();
    s.replace({ metadata: { resourceVersion: '10' }, items: [obj('a', '5')] });
    assert.equal(s.apply({ type: 'ADDED', object: obj('b', '11') }).kind, 'changed');
    assert.equal(s.resourceVersion, '11');
    assert.equal(s.apply({ type: 'MODIFIED', object: obj('a', '12', undefined, { spec: { x: 1 } }) }).kind, 'changed');
    assert.deepEqual(s.get('a')?.spec, { x: 1 });
    assert.equal(s.apply({ type: 'DELETED', object: obj('b', '13') }).kind, 'changed');
    assert.deepEqual(names(s), ['a']);
    assert.equal(s.resourceVersion, '13');
  });

  it('BOOKMARK moves only the resume point; deleting what is not there changes nothing but the resume point', () => {
    const s = new ListState();
    s.replace({ metadata: { resourceVersion: '1' }, items: [obj('a', '1')] });
    const v = s.version;
    const before = s.items();
    assert.equal(s.apply({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '40' } } }).kind, 'unchanged');
    assert.equal(s.apply({ type: 'DELETED', object: obj('ghost', '41') }).kind, 'unchanged');
    assert.equal(s.resourceVersion, '41');
    assert.equal(s.version, v);
    assert.equal(s.items(), before, 'the same snapshot while nothing changed');
  });

  it('410 Expired or Gone asks for a relist; other ERROR events are errors', () => {
    const s = new ListState();
    assert.deepEqual(s.apply({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (90)' } }), {
      kind: 'relist',
      message: 'too old resource version: 5 (90)',
    });
    assert.equal(s.apply({ type: 'ERROR', object: { reason: 'Gone' } }).kind, 'relist');
    const r = s.apply({ type: 'ERROR', object: { code: 500, reason: 'InternalError', message: 'boom' } });
    assert.equal(r.kind, 'error');
  });

  it('a relist replaces everything: objects deleted meanwhile disappear', () => {
    const s = new ListState();
    s.replace({ metadata: { resourceVersion: '1' }, items: [obj('a', '1'), obj('b', '1')] });
    s.replace({ metadata: { resourceVersion: '90' }, items: [obj('b', '50'), obj('c', '60')] });
    assert.deepEqual(names(s), ['b', 'c']);
    assert.equal(s.resourceVersion, '90');
  });
});
