// Printer columns most kinds share (Name first, Age as a date cell the server
// renders) and small helpers for computed cells.

import type { PrinterColumn } from '../definition.js';
import { isPlainObject, type KObject } from '../object.js';

export const nameColumn: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name of the object, unique within its namespace.',
  jsonPath: '.metadata.name',
};

export const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: 'Time since the object was created.',
  jsonPath: '.metadata.creationTimestamp',
};

/** Number of keys of a map field (Secret and ConfigMap DATA), 0 when absent. */
export const keyCount = (v: unknown): number => (isPlainObject(v) ? Object.keys(v).length : 0);

/** The top-level field of an object as a plain record. */
export const section = (o: KObject, name: string): Record<string, unknown> => (isPlainObject(o[name]) ? (o[name] as Record<string, unknown>) : {});
