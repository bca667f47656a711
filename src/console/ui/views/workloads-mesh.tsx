// kuma.io Workloads, live: connected / healthy / total proxies from their
// status, and the proxies themselves (Dataplanes joined to their
// DataplaneInsights: connection, health, SPIFFE ID, certificate expiry).

import { meshCounts, proxiesOf } from '../../model/mesh-view.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, hasItems, ObjectLink, Time, WatchState } from '../widgets.js';

export function MeshWorkloadsView() {
  const { namespace } = useSession();
  const type = useType('kuma.io', 'workloads');
  const dpType = useType('kuma.io', 'dataplanes');
  const workloads = useWatch(type, namespace);
  const dataplanes = useWatch(dpType, namespace);
  const insights = useWatch(useType('kuma.io', 'dataplaneinsights'), namespace);
  return (
    <section aria-labelledby="mesh-title">
      <h2 id="mesh-title">Mesh workloads</h2>
      <WatchState snap={workloads} what="mesh workloads" />
      <WatchState snap={dataplanes} what="dataplanes" />
      <WatchState snap={insights} what="dataplane insights" />
      {hasItems(workloads) && workloads.items.length === 0 && <p class="muted">No mesh workloads{namespace ? ` in ${namespace}` : ''}.</p>}
      {hasItems(workloads) &&
        workloads.items.map((w) => {
          const c = meshCounts(w);
          const proxies = proxiesOf(w, dataplanes?.items ?? [], insights?.items ?? []);
          return (
            <article class="card" key={`${w.metadata.namespace}/${w.metadata.name}`} data-testid={`mesh-workload-${w.metadata.name}`}>
              <h3>
                <ObjectLink type={type} obj={w} /> <span class="muted">{w.metadata.namespace}</span>
              </h3>
              <dl class="counts">
                <dt>Connected</dt>
                <dd data-count="connected">{c.connected}</dd>
                <dt>Healthy</dt>
                <dd data-count="healthy">{c.healthy}</dd>
                <dt>Total</dt>
                <dd data-count="total">{c.total}</dd>
              </dl>
              {proxies.length === 0 ? (
                <p class="muted">No proxies.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th>Proxy</th>
                      <th>Address</th>
                      <th>Connected</th>
                      <th>Healthy</th>
                      <th>SPIFFE ID</th>
                      <th>Certificate expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    {proxies.map((p) => (
                      <tr key={p.name} data-proxy={p.name}>
                        <td>
                          <ObjectLink type={dpType} obj={p.dataplane} />
                        </td>
                        <td>{p.address ?? ''}</td>
                        <td>{p.connected ? <Badge tone="ok">connected</Badge> : <Badge tone="muted">offline</Badge>}</td>
                        <td>{p.healthy ? <Badge tone="ok">healthy</Badge> : <Badge tone="warn">unhealthy</Badge>}</td>
                        <td class="mono">{p.spiffeID ?? ''}</td>
                        <td>
                          <Time iso={p.certificateExpires} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </article>
          );
        })}
    </section>
  );
}
