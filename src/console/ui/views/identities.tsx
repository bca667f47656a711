// MeshIdentities, live: provider, SPIFFE ID templates, selector, conditions,
// and the certificates issued under each (from the proxies'
// DataplaneInsights): SPIFFE ID and expiry.

import { identityView } from '../../model/identity-view.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, Conditions, hasItems, ObjectLink, Time, WatchState } from '../widgets.js';

export function IdentitiesView() {
  const { namespace } = useSession();
  const type = useType('kuma.io', 'meshidentities');
  const identities = useWatch(type, namespace);
  const insights = useWatch(useType('kuma.io', 'dataplaneinsights'), namespace);
  return (
    <section aria-labelledby="identities-title">
      <h2 id="identities-title">Mesh identities</h2>
      <WatchState snap={identities} what="mesh identities" />
      <WatchState snap={insights} what="dataplane insights" />
      {hasItems(identities) && identities.items.length === 0 && <p class="muted">No MeshIdentities{namespace ? ` in ${namespace}` : ''}.</p>}
      {hasItems(identities) &&
        identities.items.map((mi) => {
          const v = identityView(mi, insights?.items ?? []);
          return (
            <article class="card" key={`${v.namespace}/${v.name}`} data-testid={`identity-${v.name}`}>
              <h3>
                <ObjectLink type={type} obj={mi} /> <span class="muted">{v.namespace}</span>{' '}
                <Badge tone={v.ready?.status === 'True' ? 'ok' : 'warn'}>{v.ready ? `Ready=${v.ready.status}` : 'not reconciled'}</Badge>
              </h3>
              <dl class="fields">
                <dt>Provider</dt>
                <dd>{v.provider}</dd>
                <dt>Selects</dt>
                <dd>{v.selector}</dd>
                <dt>Trust domain</dt>
                <dd class="mono">{v.trustDomain}</dd>
                <dt>Path</dt>
                <dd class="mono">{v.path}</dd>
              </dl>
              <Conditions conditions={v.conditions} />
              <h4 class="sub">Issued certificates</h4>
              {v.certificates.length === 0 ? (
                <p class="muted">None{namespace ? ` in ${namespace}` : ''}.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th>Dataplane</th>
                      <th>SPIFFE ID</th>
                      <th>Expires</th>
                      <th>Issued</th>
                      <th>Renewals</th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.certificates.map((c) => (
                      <tr key={`${c.namespace}/${c.dataplane}`} data-dataplane={c.dataplane}>
                        <td>
                          {c.namespace}/{c.dataplane}
                        </td>
                        <td class="mono">{c.spiffeID ?? ''}</td>
                        <td>
                          <Time iso={c.expires} /> <span class="muted">{c.expires}</span>
                        </td>
                        <td>
                          <Time iso={c.issued} />
                        </td>
                        <td>{c.regenerations ?? ''}</td>
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
