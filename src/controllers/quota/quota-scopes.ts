// Which pods a ResourceQuota counts: all of them, or those matching every
// scope in spec.scopes and spec.scopeSelector (Terminating, NotTerminating,
// BestEffort, NotBestEffort, PriorityClass). Other scopes concern no pod.

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { computeQosClass } from '../../api/core/pod-qos.js';

interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

function requirements(quota: KObject): ScopeRequirement[] {
  const spec = section(quota, 'spec');
  const out: ScopeRequirement[] = [];
  for (const s of Array.isArray(spec.scopes) ? spec.scopes : []) if (typeof s === 'string') out.push({ scopeName: s, operator: 'Exists' });
  const exprs = isPlainObject(spec.scopeSelector) ? spec.scopeSelector.matchExpressions : undefined;
  for (const e of Array.isArray(exprs) ? exprs : []) if (isPlainObject(e)) out.push(e as unknown as ScopeRequirement);
  return out;
}

function matches(r: ScopeRequirement, pod: KObject): boolean {
  const spec = section(pod, 'spec');
  const terminating = typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
  const bestEffort = (section(pod, 'status').qosClass ?? computeQosClass(spec)) === 'BestEffort';
  switch (r.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return bestEffort;
    case 'NotBestEffort':
      return !bestEffort;
    case 'PriorityClass': {
      const pc = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
      const values = r.values ?? [];
      if (r.operator === 'In') return values.includes(pc);
      if (r.operator === 'NotIn') return !values.includes(pc);
      if (r.operator === 'Exists') return pc !== '';
      return pc === '';
    }
    default:
      return false;
  }
}

export function quotaCoversPod(quota: KObject, pod: KObject): boolean {
  return requirements(quota).every((r) => matches(r, pod));
}
