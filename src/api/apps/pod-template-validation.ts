// Validation shared by the kinds that stamp pods out of a template
// (Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job):
// a valid non-empty selector that matches the template's labels, a valid pod
// spec, an allowed restart policy, and kube's int-or-percent rules.

import { fieldError, type FieldError } from '../errors.js';
import { fromLabelSelector, type LabelSelector } from '../label-selector.js';
import { isPlainObject } from '../object.js';
import { isEmptySelector, validateLabelSelector } from '../compute/label-selector-validation.js';
import { validatePodSpec } from '../validation/pod-spec.js';
import { validateLabels } from '../validation/object-meta.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  try {
    return fromLabelSelector(selector as LabelSelector)(labels);
  } catch {
    return true; // an unparseable selector is reported by validateLabelSelector
  }
}

export interface TemplateRules {
  /** Lower-case kind for "empty selector is invalid for deployment". */
  kind: string;
  /** Restart policies the pods may have (`Always` for replicas; `OnFailure`, `Never` for Jobs). */
  restartPolicies: string[];
  /** Map-form selectors (ReplicationController) instead of LabelSelector. */
  mapSelector?: boolean;
  /** The selector may be absent (a CronJob's job template: generated when the Job is created). */
  selectorOptional?: boolean;
}

/** spec.selector and spec.template of a pod-stamping kind. */
export function validateSelectorAndTemplate(spec: Obj, rules: TemplateRules, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const template = spec.template;
  const selector = spec.selector;
  if (!isPlainObject(selector) && !rules.selectorOptional) errs.push(fieldError.required(`${path}.selector`));
  if (!isPlainObject(template)) return [...errs, fieldError.required(`${path}.template`)];
  const labels = obj(obj(template.metadata).labels) as Record<string, string>;
  errs.push(...validateLabels(labels, `${path}.template.metadata.labels`));
  if (isPlainObject(selector)) {
    const sel: Obj = rules.mapSelector ? { matchLabels: selector } : selector;
    if (!rules.mapSelector) errs.push(...validateLabelSelector(selector, `${path}.selector`));
    if (isEmptySelector(sel)) errs.push(fieldError.invalid(`${path}.selector`, selector, `empty selector is invalid for ${rules.kind}`));
    else if (!selectorMatches(sel, labels)) {
      errs.push(fieldError.invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const restart = obj(template.spec).restartPolicy;
  if (typeof restart === 'string' && !rules.restartPolicies.includes(restart)) {
    errs.push(fieldError.notSupported(`${path}.template.spec.restartPolicy`, restart, rules.restartPolicies));
  }
  return errs;
}

const PERCENT = /^[0-9]+%$/;

/** kube's ValidatePositiveIntOrPercent and IsNotMoreThan100Percent for maxSurge / maxUnavailable. */
export function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return v < 0 ? [fieldError.invalid(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v !== 'string' || !PERCENT.test(v)) {
    return [fieldError.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  return Number(v.slice(0, -1)) > 100 ? [fieldError.invalid(path, v, 'must not be greater than 100%')] : [];
}

/** The value of an int-or-percent against a total; percent rounds up or down as kube's GetScaledValueFromIntOrPercent. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT.test(v)) {
    const exact = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return 0;
}

export const isZeroIntOrPercent = (v: unknown) => v === 0 || v === '0%';
