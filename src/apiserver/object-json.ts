// The JSON of objects as the watch cache holds them, made once per object
// version and reused by every later GET and list that returns the object
// unchanged (a list of 10,000 unchanged objects then serializes none). Cached
// objects are never changed in place (a write replaces the object), so the
// object's identity stands for its version; a WeakMap lets the text go with
// the object. Keyed by apiVersion too, since a store serving another version
// of the same objects answers with its own.

import type { KObject } from '../api/object.js';

const texts = new WeakMap<KObject, { apiVersion: string; text: string }>();

/** `obj` as JSON, with apiVersion and kind filled in when it lacks them. */
export function objectJson(obj: KObject, apiVersion: string, kind: string): string {
  const hit = texts.get(obj);
  if (hit && hit.apiVersion === apiVersion) return hit.text;
  const text = JSON.stringify(obj.kind ? obj : { apiVersion, kind, ...obj });
  texts.set(obj, { apiVersion, text });
  return text;
}
