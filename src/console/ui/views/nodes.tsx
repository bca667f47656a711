// Nodes, live: readiness, taints, capacity against allocatable against what
// their pods request, and the pods bound to each.

import { nodeView } from '../../model/node-view.js';
import { isPodReady, podPhase } from '../../model/pods.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, hasItems, ObjectLink, phaseTone, WatchState } from '../widgets.js';

const RESOURCES = ['cpu', 'memory', 'pods'] as const;

export function NodesView() {
  const { namespace } = useSession();
  const type = useType('', 'nodes');
  const podType = useType('', 'pods');
  const nodes = useWatch(type, '');
  // A node's pods come from every namespace; a token limited to some namespaces still sees its own pods there.
  const pods = useWatch(podType, namespace);
  return (
    <section aria-labelledby="nodes-title">
      <h2 id="nodes-title">Nodes</h2>
      <WatchState snap={nodes} what="nodes" />
      <WatchState snap={pods} what="pods" />
      {hasItems(nodes) && nodes.items.length === 0 && <p class="muted">No nodes.</p>}
      {hasItems(nodes) &&
        nodes.items.map((n) => {
          const v = nodeView(n, pods?.items ?? []);
          return (
            <article class="card" key={v.name} data-testid={`node-${v.name}`}>
              <h3>
                <ObjectLink type={type} obj={n} /> <Badge tone={v.ready === 'True' ? 'ok' : 'bad'}>{v.ready === 'True' ? 'Ready' : `Ready=${v.ready}`}</Badge>
                {v.unschedulable && <Badge tone="warn">SchedulingDisabled</Badge>}
                {v.taints.map((t) => (
                  <Badge key={t} tone="muted">
                    {t}
                  </Badge>
                ))}
              </h3>
              <table class="capacity">
                <thead>
                  <tr>
                    <th />
                    {RESOURCES.map((r) => (
                      <th key={r}>{r}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th>Capacity</th>
                    {RESOURCES.map((r) => (
                      <td key={r} data-capacity={r}>
                        {v.capacity[r] ?? ''}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th>Allocatable</th>
                    {RESOURCES.map((r) => (
                      <td key={r} data-allocatable={r}>
                        {v.allocatable[r] ?? ''}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th>Requested{namespace ? ` (${namespace})` : ''}</th>
                    {RESOURCES.map((r) => (
                      <td key={r} data-requested={r}>
                        {v.requested[r]}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
              {hasItems(pods) &&
                (v.pods.length === 0 ? (
                  <p class="muted">No pods{namespace ? ` from ${namespace}` : ''}.</p>
                ) : (
                  <ul class="pods">
                    {v.pods.map((p) => (
                      <li key={`${p.metadata.namespace}/${p.metadata.name}`} data-pod={p.metadata.name}>
                        <ObjectLink type={podType} obj={p} label={`${p.metadata.namespace}/${p.metadata.name}`} /> <Badge tone={phaseTone(podPhase(p))}>{podPhase(p)}</Badge>
                        {isPodReady(p) && <Badge tone="ok">Ready</Badge>}
                      </li>
                    ))}
                  </ul>
                ))}
            </article>
          );
        })}
    </section>
  );
}
