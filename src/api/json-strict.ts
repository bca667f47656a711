// Duplicate-key detection for `fieldValidation=Strict`. JSON.parse keeps the
// last of two equal keys silently; kube-apiserver instead rejects the body with
// `strict decoding error: duplicate field "spec.replicas"`. This is a single
// pass over the text that builds no values and remembers only the keys of the
// objects currently open; it costs about one JSON.parse and runs only when a
// client asks for Strict.

const QUOTE = 34; // "
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;

// Index of the quote closing the string that opens at `start`.
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j < 0) return text.length;
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j++;
  }
}

// One open object or array. Frames are pooled by depth and reused, so a large
// document allocates per nesting level rather than per object.
interface Frame {
  isArray: boolean;
  /** The key (object) or index (array) of the value being read. */
  at: string | number;
  /** Keys seen so far in this object; a short list beats a Set for typical objects. */
  keys: string[];
  keySet: Set<string> | undefined;
}

const SET_THRESHOLD = 16;

// Records `key` in the frame; true when it was already there.
function seen(f: Frame, key: string): boolean {
  if (f.keySet) {
    if (f.keySet.has(key)) return true;
    f.keySet.add(key);
    return false;
  }
  if (f.keys.includes(key)) return true;
  f.keys.push(key);
  if (f.keys.length > SET_THRESHOLD) f.keySet = new Set(f.keys);
  return false;
}

// kube's path style: `spec.containers[0].image`.
function pathOf(frames: readonly Frame[], depth: number, key: string): string {
  let path = '';
  for (let d = 0; d < depth; d++) {
    const at = frames[d].at;
    path = typeof at === 'number' ? `${path}[${at}]` : path ? `${path}.${at}` : at;
  }
  return path ? `${path}.${key}` : key;
}

/**
 * Paths of object keys that occur twice in the same object, each reported
 * once, e.g. `spec.replicas` or `spec.containers[0].image`. Assumes `text` is
 * JSON that JSON.parse accepted.
 */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  const frames: Frame[] = [];
  let depth = 0; // frames[depth - 1] is the innermost open value
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const top = frames[depth - 1];
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (seen(top, key)) {
          const path = pathOf(frames, depth - 1, key);
          if (!found.includes(path)) found.push(path);
        }
        top.at = key;
        expectKey = false;
      }
      i = end;
    } else if (c === LBRACE || c === LBRACKET) {
      let f = frames[depth];
      if (!f) f = frames[depth] = { isArray: false, at: '', keys: [], keySet: undefined };
      f.isArray = c === LBRACKET;
      f.at = f.isArray ? 0 : '';
      f.keys.length = 0;
      f.keySet = undefined;
      depth++;
      expectKey = !f.isArray;
    } else if (c === RBRACE || c === RBRACKET) {
      if (depth > 0) depth--;
      expectKey = false;
    } else if (c === COMMA && depth > 0) {
      const top = frames[depth - 1];
      if (top.isArray) top.at = (top.at as number) + 1;
      else expectKey = true;
    }
  }
  return found;
}

/**
 * kube's strict decoding message: duplicates first, then unknown fields, e.g.
 * `strict decoding error: duplicate field "spec.replicas", unknown field "spec.replica"`.
 * kube-apiserver prefixes it with `<Kind> in version "<v>" cannot be handled as a <Kind>: `.
 */
export function strictDecodingMessage(duplicates: readonly string[], unknown: readonly string[] = []): string {
  const parts = [...duplicates.map((p) => `duplicate field ${JSON.stringify(p)}`), ...unknown.map((p) => `unknown field ${JSON.stringify(p)}`)];
  return `strict decoding error: ${parts.join(', ')}`;
}
