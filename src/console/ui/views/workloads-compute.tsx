// compute.miloapis.com Workloads, live: phase, replica counts, conditions,
// and their pods by node, as the controllers and node agents move them.

import { computeWorkloadView } from '../../model/compute-view.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, Conditions, hasItems, ObjectLink, phaseTone, WatchState } from '../widgets.js';
import { PodsByNode } from './pods-by-node.js';

export function ComputeWorkloadsView() {
  const { namespace } = useSession();
  const type = useType('compute.miloapis.com', 'workloads');
  const workloads = useWatch(type, namespace);
  const pods = useWatch(useType('', 'pods'), namespace);
  return (
    <section aria-labelledby="compute-title">
      <h2 id="compute-title">Compute workloads</h2>
      <WatchState snap={workloads} what="compute workloads" />
      <WatchState snap={pods} what="pods" />
      {hasItems(workloads) && workloads.items.length === 0 && <p class="muted">No compute workloads{namespace ? ` in ${namespace}` : ''}.</p>}
      {hasItems(workloads) &&
        workloads.items.map((w) => {
          const v = computeWorkloadView(w, pods?.items ?? []);
          return (
            <article class="card" key={`${w.metadata.namespace}/${w.metadata.name}`} data-testid={`compute-workload-${w.metadata.name}`} data-phase={v.phase}>
              <h3>
                <ObjectLink type={type} obj={w} /> <span class="muted">{w.metadata.namespace}</span> <Badge tone={phaseTone(v.phase)}>{v.phase}</Badge>
              </h3>
              <dl class="counts">
                <dt>Desired</dt>
                <dd data-count="desired">{v.desired}</dd>
                <dt>Pods</dt>
                <dd data-count="replicas">{v.replicas}</dd>
                <dt>Ready</dt>
                <dd data-count="ready">{v.ready}</dd>
                <dt>Updated</dt>
                <dd data-count="updated">{v.updated}</dd>
                <dt>Available</dt>
                <dd data-count="available">{v.available}</dd>
              </dl>
              {!v.current && <p class="muted">Status is catching up with the latest spec.</p>}
              <Conditions conditions={v.conditions} />
              <h4 class="sub">Pods by node</h4>
              {hasItems(pods) ? <PodsByNode groups={v.byNode} /> : null}
            </article>
          );
        })}
    </section>
  );
}
