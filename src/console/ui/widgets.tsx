// Small pieces every view uses: the state of a live list (loading, not
// permitted, failing), badges, condition tables, times and object links.

import type { ComponentChildren } from 'preact';
import type { KObject } from '../../api/object.js';
import { objectPath, type ResourceType } from '../model/discovery.js';
import type { WatchSnapshot } from '../model/list-watch.js';
import type { Condition } from '../model/pods.js';
import { relativeTime } from '../model/time-text.js';
import { editHref } from './router.js';
import type { LiveList } from './use-watch.js';

/**
 * What a live list cannot show: not served, not permitted (a 403 is a normal
 * answer, not a crash), loading, or failing (with what is known so far still shown).
 */
export function WatchState({ snap, what }: { snap: LiveList | undefined; what: string }) {
  if (!snap) return <div class="notice" data-state="not-served">{what}: not served by this API server.</div>;
  switch (snap.phase) {
    case 'forbidden':
      return (
        <div class="notice forbidden" data-state="forbidden" role="status">
          <strong>Not permitted</strong> to see {what}. <span class="api-message">{snap.message}</span>
          <button type="button" class="link" onClick={() => snap.retry()}>
            Try again
          </button>
        </div>
      );
    case 'loading':
      return <div class="notice" data-state="loading">Loading {what}…</div>;
    case 'error':
      return (
        <div class="notice error" data-state="error">
          {what}: {snap.message} (reconnecting)
        </div>
      );
    case 'notFound':
      return <div class="notice" data-state="not-found">{what}: {snap.message}</div>;
    case 'unauthorized':
      return <div class="notice error" data-state="unauthorized">The token is no longer accepted: {snap.message}</div>;
    default:
      return null;
  }
}

/** True when the list has something to show (live, or stale while reconnecting). */
export const hasItems = (snap: WatchSnapshot | undefined): snap is WatchSnapshot => !!snap && (snap.phase === 'live' || snap.phase === 'error');

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

export const phaseTone = (phase: string): 'ok' | 'warn' | 'bad' | 'info' =>
  phase === 'Running' || phase === 'Succeeded' ? 'ok' : phase === 'Failed' ? 'bad' : phase === 'Pending' || phase === 'Provisioning' ? 'warn' : 'info';

export function Conditions({ conditions }: { conditions: readonly Condition[] }) {
  if (conditions.length === 0) return <p class="muted">No conditions.</p>;
  return (
    <table class="conditions">
      <thead>
        <tr>
          <th>Condition</th>
          <th>Status</th>
          <th>Reason</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type} data-condition={c.type}>
            <td>{c.type}</td>
            <td>
              <Badge tone={c.status === 'True' ? 'ok' : c.status === 'False' ? 'warn' : 'muted'}>{c.status}</Badge>
            </td>
            <td>{c.reason ?? ''}</td>
            <td class="message">{c.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Time({ iso }: { iso: string | undefined }) {
  if (!iso) return <span class="muted">–</span>;
  return (
    <time dateTime={iso} title={iso}>
      {relativeTime(iso, Date.now())}
    </time>
  );
}

/** The object's name, linking to its YAML in the editor. */
export function ObjectLink({ type, obj, label }: { type: ResourceType | undefined; obj: KObject; label?: string }) {
  const name = obj.metadata.name ?? '';
  const text = label ?? name;
  if (!type) return <span>{text}</span>;
  return (
    <a href={editHref(objectPath(type, obj.metadata.namespace, name))} class="object-link">
      {text}
    </a>
  );
}

export const nsName = (o: KObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : (o.metadata.name ?? ''));
