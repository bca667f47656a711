// What the mesh reads off a Pod and its Namespace: whether the pod is meshed,
// its mesh, its workload name and its ServiceAccount. Admission and the
// pod → Dataplane controller share these so they can never disagree.

import {
  DEFAULT_MESH,
  MESH_LABEL,
  SIDECAR_INJECTION_ENABLED,
  SIDECAR_INJECTION_LABEL,
  WORKLOAD_LABEL,
} from '../api/kuma/labels.js';
import { isPlainObject, type KObject } from '../api/object.js';
import { DNS1035_LABEL_MAX, isDNS1035Label } from '../api/validation/names.js';

/** Annotation through which a pod names its workload (the label itself is refused on pods). */
export const WORKLOAD_ANNOTATION = WORKLOAD_LABEL;
export const MESH_ANNOTATION = MESH_LABEL;
export const DEFAULT_SERVICE_ACCOUNT = 'default';

const labelOf = (o: KObject | undefined, k: string) => o?.metadata.labels?.[k] || undefined;
const annotationOf = (o: KObject | undefined, k: string) => o?.metadata.annotations?.[k] || undefined;

/** The values of kuma.io/sidecar-injection Kuma accepts, as it reads them (labels and annotations alike). */
export const SIDECAR_INJECTION_VALUES: Readonly<Record<string, boolean>> = Object.freeze({
  [SIDECAR_INJECTION_ENABLED]: true,
  true: true,
  yes: true,
  disabled: false,
  false: false,
  no: false,
});

/** Where the injection decision came from, and a value that could not be read. */
export interface SidecarInjection {
  meshed: boolean;
  /** Whose label decided: the pod's own (it wins, `disabled` included) or the namespace's. */
  from?: 'pod' | 'namespace';
  /** The label value that is none of SIDECAR_INJECTION_VALUES (the pod is then not meshed). */
  invalid?: string;
}

/** Kuma's rule: the pod's own label decides when present, else its namespace's; absent everywhere means not meshed. */
export function sidecarInjection(pod: KObject, namespace: KObject | undefined): SidecarInjection {
  for (const [from, o] of [['pod', pod], ['namespace', namespace]] as const) {
    const v = o?.metadata.labels?.[SIDECAR_INJECTION_LABEL];
    if (v === undefined) continue;
    const meshed = SIDECAR_INJECTION_VALUES[v];
    return meshed === undefined ? { meshed: false, from, invalid: v } : { meshed, from };
  }
  return { meshed: false };
}

/** Meshed: the pod, or (when the pod does not say) its namespace, asks for the sidecar. */
export function isPodMeshed(pod: KObject, namespace: KObject | undefined): boolean {
  return sidecarInjection(pod, namespace).meshed;
}

/** Pod label or annotation, else the namespace's label or annotation, else `default`. */
export function podMesh(pod: KObject, namespace: KObject | undefined): string {
  return (
    labelOf(pod, MESH_LABEL) ??
    annotationOf(pod, MESH_ANNOTATION) ??
    labelOf(namespace, MESH_LABEL) ??
    annotationOf(namespace, MESH_ANNOTATION) ??
    DEFAULT_MESH
  );
}

export function podServiceAccount(pod: KObject): string {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const sa = spec.serviceAccountName || spec.serviceAccount;
  return typeof sa === 'string' && sa !== '' ? sa : DEFAULT_SERVICE_ACCOUNT;
}

/**
 * The pod's workload: its `kuma.io/workload` annotation; else the first
 * non-empty pod label among `workloadLabels`; else its ServiceAccount name.
 * Candidates are made DNS-1035 labels (see sanitizeWorkloadName) because the
 * Dataplane's workload label must be one; a candidate with nothing usable
 * left falls through to the next, and the last resort is `default`.
 */
export function podWorkload(pod: KObject, workloadLabels: readonly string[]): string {
  const candidates = [annotationOf(pod, WORKLOAD_ANNOTATION), ...workloadLabels.map((k) => labelOf(pod, k)), podServiceAccount(pod)];
  for (const c of candidates) {
    const name = c === undefined ? '' : sanitizeWorkloadName(c);
    if (name) return name;
  }
  return DEFAULT_SERVICE_ACCOUNT;
}

/**
 * Turns a label value or ServiceAccount name into a DNS-1035 label: valid
 * input is returned unchanged; otherwise it is lowercased, every character
 * outside [a-z0-9-] becomes '-', leading characters up to the first letter
 * are dropped, it is cut to 63 characters and trailing '-' are trimmed.
 * `My_App.v2` → `my-app-v2`, `2fa-svc` → `fa-svc`, `123` → `` (unusable).
 * Annotations are refused by admission when invalid, so in practice this only
 * rewrites label values and ServiceAccount names (which may hold '.' or
 * start with a digit).
 */
export function sanitizeWorkloadName(value: string): string {
  if (isDNS1035Label(value).length === 0) return value;
  let s = value.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  s = s.replace(/^[^a-z]+/, '');
  s = s.slice(0, DNS1035_LABEL_MAX);
  return s.replace(/-+$/, '');
}
