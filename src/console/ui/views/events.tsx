// Events as a live timeline, newest first, in the selected namespace, and
// filtered by the object they are about and their type.

import { useState } from 'preact/hooks';
import { timeline } from '../../model/event-timeline.js';
import { useSession } from '../context.js';
import { useType, useWatch } from '../use-watch.js';
import { Badge, hasItems, Time, WatchState } from '../widgets.js';

export function EventsView({ object: initialObject }: { object: string }) {
  const { namespace } = useSession();
  const events = useWatch(useType('', 'events'), namespace);
  const [object, setObject] = useState(initialObject);
  const [type, setType] = useState('');
  const entries = hasItems(events) ? timeline(events.items, { object, type }) : [];
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="event-object">Object</label>
        <input id="event-object" placeholder="Kind/name, or part of it" value={object} onInput={(e) => setObject(e.currentTarget.value)} />
        <label for="event-type">Type</label>
        <select id="event-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          <option value="">Normal and Warning</option>
          <option value="Normal">Normal</option>
          <option value="Warning">Warning</option>
        </select>
      </form>
      <WatchState snap={events} what="events" />
      {hasItems(events) && entries.length === 0 && <p class="muted">No events match.</p>}
      {entries.length > 0 && (
        <ol class="timeline" data-testid="timeline">
          {entries.map((t) => (
            <li key={t.key} class={t.type === 'Warning' ? 'warning' : ''} data-reason={t.reason} data-object={t.object}>
              <Time iso={t.time} />
              <Badge tone={t.type === 'Warning' ? 'warn' : 'info'}>{t.reason || t.type}</Badge>
              <button type="button" class="link" title="Show only this object" onClick={() => setObject(t.object)}>
                {t.object}
              </button>
              {!namespace && <span class="muted">{t.namespace}</span>}
              <span class="message">{t.message}</span>
              {t.count > 1 && <span class="muted">×{t.count}</span>}
              {t.source && <span class="muted source">{t.source}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
