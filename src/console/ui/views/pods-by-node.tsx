// Pods laid out under the node each is bound to, with phase and readiness;
// unbound pods last, under "not scheduled".

import type { KObject } from '../../../api/object.js';
import { isPodReady, podPhase } from '../../model/pods.js';
import { useType } from '../use-watch.js';
import { Badge, ObjectLink, phaseTone } from '../widgets.js';

export function PodsByNode({ groups }: { groups: { node: string | undefined; pods: KObject[] }[] }) {
  const podType = useType('', 'pods');
  if (groups.length === 0) return <p class="muted">No pods.</p>;
  return (
    <div class="by-node">
      {groups.map((g) => (
        <div class="node-group" key={g.node ?? ''} data-node={g.node ?? ''}>
          <h4>{g.node ?? 'not scheduled'}</h4>
          <ul class="pods">
            {g.pods.map((p) => (
              <li key={p.metadata.name} data-pod={p.metadata.name} data-phase={podPhase(p)}>
                <ObjectLink type={podType} obj={p} /> <Badge tone={phaseTone(podPhase(p))}>{podPhase(p)}</Badge>
                {isPodReady(p) && <Badge tone="ok">Ready</Badge>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
