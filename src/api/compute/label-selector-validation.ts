// kube's ValidateLabelSelector for LabelSelector objects carried in specs:
// matchLabels as labels, and each matchExpressions requirement's key,
// operator and values, with kube's wording and field paths.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { child, index, invalidEach } from '../validation/field.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { validateLabels } from '../validation/object-meta.js';

const SET_OPS = new Set(['In', 'NotIn']);
const EXISTS_OPS = new Set(['Exists', 'DoesNotExist']);

function validateRequirement(raw: unknown, path: string): FieldError[] {
  const r = isPlainObject(raw) ? raw : {};
  const errs: FieldError[] = [];
  const values = Array.isArray(r.values) ? r.values : [];
  const op = typeof r.operator === 'string' ? r.operator : '';
  if (SET_OPS.has(op)) {
    if (values.length === 0) errs.push(fieldError.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (EXISTS_OPS.has(op)) {
    if (values.length > 0) errs.push(fieldError.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else {
    errs.push(fieldError.invalid(child(path, 'operator'), op, 'not a valid selector operator'));
  }
  const key = typeof r.key === 'string' ? r.key : '';
  errs.push(...invalidEach(child(path, 'key'), key, isQualifiedName(key)));
  values.forEach((v, i) => {
    const s = typeof v === 'string' ? v : String(v);
    errs.push(...invalidEach(index(child(path, 'values'), i), s, isValidLabelValue(s)));
  });
  return errs;
}

export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (!isPlainObject(selector)) return [];
  const errs: FieldError[] = [];
  if (isPlainObject(selector.matchLabels)) {
    errs.push(...validateLabels(selector.matchLabels as Record<string, string>, child(path, 'matchLabels')));
  }
  if (Array.isArray(selector.matchExpressions)) {
    selector.matchExpressions.forEach((r, i) => errs.push(...validateRequirement(r, index(child(path, 'matchExpressions'), i))));
  }
  return errs;
}

/** True when the selector has no requirement at all (it would select everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isPlainObject(selector)) return true;
  const labels = isPlainObject(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels + exprs === 0;
}
