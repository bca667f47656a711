// List ordering rules of strategic merge patch. After a merge, items the patch
// named follow the patch's order (or its `$setElementOrder` list), items only
// the server had keep their live order, and the two are interleaved by live
// position. A new item therefore lands before server-only items that come
// after it, exactly as kube-apiserver places it.

import { badRequest } from '../api/errors.js';
import { isPlainObject, own } from '../api/object.js';

/** Identity of a list item: its merge-key value for maps, the value itself for scalars. */
export type ItemKey = (item: unknown) => string | undefined;

export function keyBy(mergeKey?: string): ItemKey {
  if (!mergeKey) return (item) => (item === undefined ? undefined : JSON.stringify(item));
  return (item) => {
    const v = isPlainObject(item) ? own(item, mergeKey) : undefined;
    return v !== undefined ? JSON.stringify(v) : undefined;
  };
}

const isDeleteMarker = (item: unknown) => isPlainObject(item) && own(item, '$patch') === 'delete';

function positions(list: readonly unknown[], key: ItemKey, skipDeletes = false): Map<string, number> {
  const m = new Map<string, number>();
  list.forEach((item, i) => {
    if (skipDeletes && isDeleteMarker(item)) return;
    const k = key(item);
    if (k !== undefined && !m.has(k)) m.set(k, i);
  });
  return m;
}

/**
 * Orders `merged`: items present in `order` are sorted by it, the others keep
 * their position from `live`; then server-only items are slotted in before the
 * first patch item that comes later in the live list.
 */
export function enforceOrder(merged: unknown[], order: readonly unknown[], live: readonly unknown[], key: ItemKey): unknown[] {
  const orderAt = positions(order, key, true);
  const liveAt = positions(live, key);
  const named: { item: unknown; at: number }[] = [];
  const serverOnly: { item: unknown; at: number }[] = [];
  for (const item of merged) {
    const k = key(item);
    const at = k === undefined ? undefined : orderAt.get(k);
    if (at !== undefined) named.push({ item, at });
    else serverOnly.push({ item, at: (k !== undefined ? liveAt.get(k) : undefined) ?? Number.MAX_SAFE_INTEGER });
  }
  named.sort((a, b) => a.at - b.at);
  serverOnly.sort((a, b) => a.at - b.at);

  const livePos = (item: unknown) => {
    const k = key(item);
    return k === undefined ? undefined : liveAt.get(k);
  };
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < named.length) {
    if (j >= named.length) out.push(serverOnly[i++].item);
    else if (i >= serverOnly.length) out.push(named[j++].item);
    else {
      const l = livePos(serverOnly[i].item);
      const r = livePos(named[j].item);
      if (l !== undefined && r !== undefined && l < r) out.push(serverOnly[i++].item);
      else out.push(named[j++].item);
    }
  }
  return out;
}

/**
 * The patch list must follow the relative order of its `$setElementOrder`
 * list (deletions aside); kube rejects a patch where it does not.
 */
export function checkSetOrder(patchList: readonly unknown[], order: readonly unknown[], key: ItemKey): void {
  if (patchList.length === 0 || order.length === 0) return;
  let o = 0;
  for (const item of patchList) {
    if (isPlainObject(item) && Object.hasOwn(item, '$patch')) continue;
    const k = key(item);
    while (o < order.length && key(order[o]) !== k) o++;
    if (o >= order.length) {
      throw badRequest(
        `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match $setElementOrder list:\n${JSON.stringify(order)}\n`,
      );
    }
    o++;
  }
}
