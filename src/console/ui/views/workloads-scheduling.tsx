// scheduling.k8s.io Workloads, live: each pod group with its member pods,
// which are bound (and where) and why the others wait, from the pods'
// PodScheduled condition or their FailedScheduling events.

import { podGroupViews } from '../../model/gang-view.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, hasItems, ObjectLink, WatchState } from '../widgets.js';

const FAILED_SCHEDULING = { fieldSelector: 'reason=FailedScheduling' };

export function SchedulingWorkloadsView() {
  const { namespace } = useSession();
  const type = useType('scheduling.k8s.io', 'workloads');
  const podType = useType('', 'pods');
  const workloads = useWatch(type, namespace);
  const pods = useWatch(podType, namespace);
  const events = useWatch(useType('', 'events'), namespace, FAILED_SCHEDULING);
  return (
    <section aria-labelledby="scheduling-title">
      <h2 id="scheduling-title">Scheduling workloads</h2>
      <WatchState snap={workloads} what="scheduling workloads" />
      <WatchState snap={pods} what="pods" />
      <WatchState snap={events} what="scheduling events" />
      {hasItems(workloads) && workloads.items.length === 0 && <p class="muted">No scheduling workloads{namespace ? ` in ${namespace}` : ''}.</p>}
      {hasItems(workloads) &&
        workloads.items.map((w) => (
          <article class="card" key={`${w.metadata.namespace}/${w.metadata.name}`} data-testid={`scheduling-workload-${w.metadata.name}`}>
            <h3>
              <ObjectLink type={type} obj={w} /> <span class="muted">{w.metadata.namespace}</span>
            </h3>
            {podGroupViews(w, pods?.items ?? [], events?.items ?? []).map((g) => (
              <div class="pod-group" key={g.name} data-group={g.name} data-state={g.state}>
                <h4>
                  {g.name} <span class="muted">{g.policy === 'gang' ? `gang, minCount ${g.minCount}` : g.policy}</span>{' '}
                  <Badge tone={g.state === 'bound' ? 'ok' : g.state === 'empty' ? 'muted' : 'warn'}>
                    {g.bound}/{g.members.length} bound
                  </Badge>
                </h4>
                <p class="summary" data-testid="group-summary">
                  {g.summary}
                </p>
                {g.members.length > 0 && (
                  <table>
                    <thead>
                      <tr>
                        <th>Pod</th>
                        <th>Phase</th>
                        <th>Scheduling</th>
                      </tr>
                    </thead>
                    <tbody>
                      {g.members.map((m) => (
                        <tr key={m.name} data-pod={m.name} data-bound={m.node ? 'true' : 'false'}>
                          <td>
                            <ObjectLink type={podType} obj={m.pod} />
                          </td>
                          <td>{m.phase}</td>
                          <td class="message">
                            {m.node ? (
                              <span>
                                bound to <strong>{m.node}</strong>
                              </span>
                            ) : (
                              <span>
                                <Badge tone="warn">{m.waiting?.reason}</Badge> {m.waiting?.message}
                              </span>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            ))}
          </article>
        ))}
    </section>
  );
}
