// The frame around the views: navigation, the namespace the views look at,
// who is logged in, logging out, and routing to the view the URL names.

import { whoAmIText } from '../model/whoami.js';
import { useSession } from './context.js';
import { NamespaceSelect } from './namespace-select.js';
import { href, useRoute } from './router.js';
import { EventsView } from './views/events.js';
import { IdentitiesView } from './views/identities.js';
import { NodesView } from './views/nodes.js';
import { ObjectEditor } from './views/object-editor.js';
import { ResourcesView } from './views/resources.js';
import { ComputeWorkloadsView } from './views/workloads-compute.js';
import { MeshWorkloadsView } from './views/workloads-mesh.js';
import { SchedulingWorkloadsView } from './views/workloads-scheduling.js';

const NAV: { parts: string[]; label: string }[] = [
  { parts: ['workloads', 'compute'], label: 'Compute workloads' },
  { parts: ['workloads', 'scheduling'], label: 'Scheduling workloads' },
  { parts: ['workloads', 'mesh'], label: 'Mesh workloads' },
  { parts: ['nodes'], label: 'Nodes' },
  { parts: ['identities'], label: 'Identities' },
  { parts: ['events'], label: 'Events' },
  { parts: ['resources'], label: 'Resources' },
];

export function Shell() {
  const { logout, user } = useSession();
  const route = useRoute();
  const [view, sub] = route.parts;
  const current = view ? [view, ...(view === 'workloads' ? [sub ?? 'compute'] : [])].join('/') : 'workloads/compute';
  return (
    <div class="shell">
      <header>
        <span class="brand">Workplane</span>
        <nav>
          {NAV.map((n) => (
            <a key={n.label} href={href(n.parts)} class={n.parts.join('/') === current ? 'active' : ''} aria-current={n.parts.join('/') === current ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <NamespaceSelect />
        <span class="whoami" data-testid="whoami" data-known={typeof user !== 'string'} title={typeof user === 'string' ? user : whoAmIText(user)}>
          {typeof user === 'string' ? user : whoAmIText(user)}
        </span>
        <button type="button" class="logout" onClick={logout}>
          Log out
        </button>
      </header>
      <main>{viewFor(current, route.parts, route.params)}</main>
    </div>
  );
}

function viewFor(current: string, parts: string[], params: URLSearchParams) {
  switch (current) {
    case 'workloads/compute':
      return <ComputeWorkloadsView />;
    case 'workloads/scheduling':
      return <SchedulingWorkloadsView />;
    case 'workloads/mesh':
      return <MeshWorkloadsView />;
    case 'nodes':
      return <NodesView />;
    case 'identities':
      return <IdentitiesView />;
    case 'events':
      return <EventsView object={params.get('object') ?? ''} />;
    case 'resources':
      return <ResourcesView group={parts[1]} resource={parts[2]} />;
    case 'edit':
      return <ObjectEditor key={params.toString()} path={params.get('path')} template={params} />;
    default:
      return <p class="notice">No such view: {current}</p>;
  }
}
