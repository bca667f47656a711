// additionalPrinterColumns of a CRD version as printer columns: each JSONPath
// (kube's syntax: `.status.conditions[?(@.type=="Ready")].status`,
// `.metadata.labels.app\.kubernetes\.io/name`) is compiled once, at
// registration, and evaluated per row. Several results become one
// comma-separated cell.

import { JSONPath } from 'jsonpath-plus';
import type { PrinterColumn } from '../definition.js';
import type { KObject } from '../object.js';

export const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'] as const;

/** kube's path (leading dot, `\.` escapes) as jsonpath-plus reads it; undefined when malformed. */
export function toJsonPathPlus(path: string): string | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (!p.startsWith('.') && !p.startsWith('[')) return undefined;
  let out = '$';
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      if (p[i + 1] === '.') return undefined; // recursive descent is not allowed in printer columns
      let name = '';
      i++;
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && i + 1 < p.length) i++;
        name += p[i++];
      }
      if (name === '') return undefined;
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `['${name.replace(/'/g, "\\'")}']`;
    } else if (c === '[') {
      let depth = 0;
      let j = i;
      for (; j < p.length; j++) {
        if (p[j] === '[') depth++;
        else if (p[j] === ']' && --depth === 0) break;
      }
      if (j >= p.length) return undefined;
      out += p.slice(i, j + 1);
      i = j + 1;
    } else return undefined;
  }
  return out;
}

/** Evaluates a compiled path; undefined when nothing matched. */
export function jsonPathCell(path: string): (obj: KObject) => unknown {
  const jp = toJsonPathPlus(path)!;
  return (obj) => {
    let found: unknown[];
    try {
      found = JSONPath({ path: jp, json: obj as object, wrap: true, eval: 'safe' }) as unknown[];
    } catch {
      return undefined;
    }
    if (found.length === 0) return undefined;
    if (found.length === 1) return found[0];
    return found.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  };
}

export interface CrdColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** The printer columns of a CRD version (checked beforehand by the CRD's validation). */
export function printerColumns(cols: CrdColumn[]): PrinterColumn[] {
  return cols.map((c) => ({
    name: c.name,
    type: c.type as PrinterColumn['type'],
    ...(c.format ? { format: c.format } : {}),
    ...(c.description ? { description: c.description } : {}),
    ...(c.priority ? { priority: c.priority } : {}),
    jsonPath: c.jsonPath,
    value: jsonPathCell(c.jsonPath),
  }));
}
