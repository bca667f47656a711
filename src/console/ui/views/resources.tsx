// A generic browser over everything discovery lists: pick a resource type,
// see its objects live (in the selected namespace), open any of them as YAML.

import type { KObject } from '../../../api/object.js';
import { apiVersionOf, qualifiedKind, type ResourceType } from '../../model/discovery.js';
import { statusOf } from '../../model/pods.js';
import { useSession } from '../context.js';
import { href } from '../router.js';
import { useWatch } from '../use-watch.js';
import { hasItems, ObjectLink, Time, WatchState } from '../widgets.js';

const CORE = 'core';

export function ResourcesView({ group, resource }: { group?: string; resource?: string }) {
  const { resources } = useSession();
  const types = resources.watchable();
  const selected = group !== undefined && resource !== undefined ? resources.find(group === CORE ? '' : group, resource) : undefined;
  const groups = [...new Set(types.map((t) => t.group))];
  return (
    <section class="browser" aria-labelledby="resources-title">
      <nav class="types" aria-label="Resource types">
        {groups.map((g) => (
          <div key={g} class="type-group">
            <h4>{g || 'core'}</h4>
            <ul>
              {types
                .filter((t) => t.group === g)
                .map((t) => (
                  <li key={t.resource}>
                    <a href={href(['resources', t.group || CORE, t.resource])} class={t === selected ? 'active' : ''} data-resource={`${t.resource}.${t.group}`}>
                      {t.kind}
                    </a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </nav>
      <div class="objects">
        <h2 id="resources-title">{selected ? qualifiedKind(selected) : 'Resources'}</h2>
        {selected ? <ObjectList key={`${selected.group}/${selected.resource}`} type={selected} /> : <p class="muted">Pick a resource type.</p>}
      </div>
    </section>
  );
}

function ObjectList({ type }: { type: ResourceType }) {
  const { namespace } = useSession();
  const list = useWatch(type, namespace);
  const template = new URLSearchParams({ apiVersion: apiVersionOf(type), kind: type.kind, ...(type.namespaced && namespace ? { namespace } : {}) });
  return (
    <>
      {type.verbs.includes('create') && (
        <p>
          <a class="button" href={`${href(['edit'])}?${template}`}>
            New {type.kind}
          </a>
        </p>
      )}
      <WatchState snap={list} what={type.resource} />
      {hasItems(list) && list.items.length === 0 && <p class="muted">None.</p>}
      {hasItems(list) && list.items.length > 0 && (
        <table data-testid="object-list">
          <thead>
            <tr>
              <th>Name</th>
              {type.namespaced && <th>Namespace</th>}
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((o) => (
              <tr key={`${o.metadata.namespace}/${o.metadata.name}`} data-name={o.metadata.name}>
                <td>
                  <ObjectLink type={type} obj={o} />
                </td>
                {type.namespaced && <td>{o.metadata.namespace}</td>}
                <td>{statusText(o)}</td>
                <td>
                  <Time iso={o.metadata.creationTimestamp} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** A one-word status where the object has one (phase, or its Ready condition). */
function statusText(o: KObject): string {
  const st = statusOf(o);
  if (typeof st.phase === 'string') return st.phase;
  const ready = Array.isArray(st.conditions) ? (st.conditions as { type?: string; status?: string }[]).find((c) => c.type === 'Ready') : undefined;
  return ready ? `Ready=${ready.status}` : '';
}
