// Duplicate-key detection for `fieldValidation=Strict`. JSON.parse keeps the
// last of two equal keys silently; kube-apiserver instead rejects the body with
// `strict decoding error: duplicate field "spec.replicas"`. This is a single
// pass over the text that tracks only the keys of the objects currently open,
// so it costs little next to the JSON.parse the request already paid for.

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

interface Frame {
  /** Keys seen so far; undefined for an array. */
  keys?: Set<string>;
  /** The key (object) or index (array) of the value being read. */
  at: string | number;
}

// kube's path style: `spec.containers[0].image`.
function pathOf(ancestors: readonly Frame[], key: string): string {
  let path = '';
  for (const f of ancestors) path = typeof f.at === 'number' ? `${path}[${f.at}]` : path ? `${path}.${f.at}` : f.at;
  return path ? `${path}.${key}` : key;
}

/**
 * Paths of object keys that occur twice in the same object, in document order,
 * each reported once. Assumes `text` is JSON that JSON.parse accepted.
 */
export function findDuplicateKeys(text: string): string[] {
  const found: string[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) {
          const path = pathOf(stack.slice(0, -1), key);
          if (!found.includes(path)) found.push(path);
        } else top.keys.add(key);
        top.at = key;
        expectKey = false;
      }
      i = end;
    } else if (c === LBRACE) {
      stack.push({ keys: new Set(), at: '' });
      expectKey = true;
    } else if (c === LBRACKET) {
      stack.push({ at: 0 });
      expectKey = false;
    } else if (c === RBRACE || c === RBRACKET) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
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
