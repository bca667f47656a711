// Printer-column cells the pod-stamping kinds share: the template's container
// names and images and the selector (kubectl's `-o wide` columns), and a
// counter read from status.

import type { PrinterColumn } from '../definition.js';
import { selectorToString, type LabelSelector } from '../label-selector.js';
import { isPlainObject, type KObject } from '../object.js';
import { section } from '../core/columns.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

/** The pod template of a kind: spec.template, or spec.jobTemplate.spec.template for CronJobs. */
export const podTemplateOf = (o: KObject): Obj => {
  const spec = section(o, 'spec');
  return isPlainObject(spec.jobTemplate) ? obj(obj(spec.jobTemplate.spec).template) : obj(spec.template);
};

const containers = (o: KObject): Obj[] => {
  const cs = obj(podTemplateOf(o).spec).containers;
  return Array.isArray(cs) ? cs.map(obj) : [];
};

export const containerNames = (o: KObject) => containers(o).map((c) => String(c.name ?? '')).join(',');
export const containerImages = (o: KObject) => containers(o).map((c) => String(c.image ?? '')).join(',');

export function selectorCell(sel: unknown): string {
  if (!isPlainObject(sel)) return '<none>';
  try {
    return selectorToString(sel as LabelSelector) || '<none>';
  } catch {
    return '<invalid>';
  }
}

export const statusCount = (o: KObject, field: string): number => {
  const v = section(o, 'status')[field];
  return typeof v === 'number' ? v : 0;
};

export const specCount = (o: KObject, field: string, dflt = 0): number => {
  const v = section(o, 'spec')[field];
  return typeof v === 'number' ? v : dflt;
};

/** CONTAINERS, IMAGES, SELECTOR: the wide columns of Deployments, ReplicaSets, Jobs... */
export const wideTemplateColumns = (selector: (o: KObject) => unknown = (o) => section(o, 'spec').selector): PrinterColumn[] => [
  { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.', value: containerNames },
  { name: 'Images', type: 'string', priority: 1, description: 'Images of each container in the template.', value: containerImages },
  { name: 'Selector', type: 'string', priority: 1, description: 'Label selector of the managed pods.', value: (o) => selectorCell(selector(o)) },
];
