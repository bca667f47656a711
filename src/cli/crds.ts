// `workplane crds`: prints a CustomResourceDefinition for every kind of the
// kuma.io, compute.miloapis.com (with networking / resourcemanager.miloapis.com)
// and scheduling.k8s.io groups, generated from the definitions Workplane
// serves, so the same kinds can be installed on any Kubernetes cluster.

import { stringify } from 'yaml';
import type { ResourceDefinition } from '../api/definition.js';
import { kumaDefinitions } from '../api/kuma/index.js';
import { computeWorkloadDefinition, networkDefinition, projectDefinition } from '../api/compute/index.js';
import { schedulingWorkloadDefinition } from '../api/scheduling/index.js';
import { crdsFor } from '../apiserver/crd-export/crd-export.js';
import { crdColumnsFor } from '../apiserver/crd-export/crd-export.js';
import { NOT_EXPRESSIBLE } from '../apiserver/crd-export/crd-export-rules.js';

export const EXPORTED_DEFINITIONS: ResourceDefinition[] = [
  ...kumaDefinitions,
  computeWorkloadDefinition,
  networkDefinition,
  projectDefinition,
  schedulingWorkloadDefinition,
];

const usage = `Usage: workplane crds [--group GROUP[,GROUP...]]

Prints CustomResourceDefinition YAML for the kinds Workplane serves itself
(${[...new Set(EXPORTED_DEFINITIONS.map((d) => d.group))].join(', ')}),
for example:  workplane crds | kubectl apply --server-side -f -`;

/** The YAML stream: one document per kind, each headed by what it leaves to Workplane's own code. */
export function crdsYaml(groups?: string[]): string {
  const defs = EXPORTED_DEFINITIONS.filter((d) => !groups || groups.includes(d.group));
  return crdsFor(defs)
    .map((crd) => {
      const spec = crd.spec as { group: string; names: { kind: string } };
      const def = defs.find((d) => d.group === spec.group && d.kind === spec.names.kind)!;
      const notes = [...(NOT_EXPRESSIBLE[`${spec.group}/${spec.names.kind}`] ?? [])];
      const { dropped } = crdColumnsFor(def);
      if (dropped.length) notes.push(`printer columns without a JSONPath: ${dropped.join(', ')}`);
      const head = notes.length ? `# Checked only when Workplane serves ${spec.names.kind}.${spec.group} itself:\n${notes.map((n) => `#   - ${n}`).join('\n')}\n` : '';
      return `---\n${head}${stringify(crd, { lineWidth: 0 })}`;
    })
    .join('');
}

export async function runCrds(argv: string[]): Promise<number> {
  let groups: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(usage);
      return 0;
    }
    if (a === '--group' || a.startsWith('--group=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) {
        console.error('workplane crds: --group needs a value');
        return 2;
      }
      groups = [...(groups ?? []), ...v.split(',').map((g) => g.trim()).filter(Boolean)];
      continue;
    }
    console.error(`workplane crds: unknown flag "${a}"\n\n${usage}`);
    return 2;
  }
  const known = new Set(EXPORTED_DEFINITIONS.map((d) => d.group));
  const unknown = (groups ?? []).filter((g) => !known.has(g));
  if (unknown.length) {
    console.error(`workplane crds: no kinds in group(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    return 2;
  }
  process.stdout.write(crdsYaml(groups));
  return 0;
}
