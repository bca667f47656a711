// Any object as YAML, editable. Save replaces it (PUT, guarded by its
// resourceVersion); Apply sends it as a server-side apply by the console's
// field manager (and creates it if missing). Whatever the API refuses is shown
// with the API's own Status message.

import { useEffect, useState } from 'preact/hooks';
import type { KObject } from '../../../api/object.js';
import { ApiRequestError } from '../../model/api-client.js';
import { applyDocument, EditError, parseEdited, targetOf, toEditableYaml } from '../../model/edit-object.js';
import { useSession } from '../context.js';
import { editHref, href } from '../router.js';

type Outcome = { ok: true; text: string } | { ok: false; text: string; reason?: string };

const isApiPath = (p: string) => /^\/apis?\//.test(p) && !p.includes('..');

/** `path`: the object's API path; without one, a new object from `template` (apiVersion, kind, namespace). */
export function ObjectEditor({ path, template }: { path: string | null; template: URLSearchParams }) {
  const { api, resources, namespace } = useSession();
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState<KObject | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    if (!path) {
      const ns = template.get('namespace') ?? namespace;
      setText(`apiVersion: ${template.get('apiVersion') ?? 'v1'}\nkind: ${template.get('kind') ?? 'ConfigMap'}\nmetadata:\n  name: ''\n${ns ? `  namespace: ${ns}\n` : ''}`);
      return;
    }
    if (!isApiPath(path)) return setOutcome({ ok: false, text: `not an API object path: ${path}` });
    try {
      const obj = await api.get<KObject>(path);
      setLoaded(obj);
      setText(toEditableYaml(obj));
      setOutcome(null);
    } catch (e) {
      setOutcome(failure(e));
    }
  };
  useEffect(() => void load(), [path]);

  const run = async (what: 'save' | 'apply') => {
    setBusy(true);
    setOutcome(null);
    try {
      const obj = parseEdited(text);
      const target = targetOf(obj, resources, namespace || undefined);
      const result = what === 'save' ? await api.replace(target.path, obj) : await api.apply(target.path, applyDocument(obj));
      setLoaded(result);
      setText(toEditableYaml(result));
      setOutcome({ ok: true, text: `${what === 'save' ? 'Saved' : 'Applied'} ${result.kind ?? obj.kind} ${result.metadata.name}: resourceVersion ${result.metadata.resourceVersion}` });
      if (!path) location.hash = editHref(target.path);
    } catch (e) {
      setOutcome(failure(e));
    } finally {
      setBusy(false);
    }
  };

  const title = loaded ? `${loaded.kind ?? ''} ${loaded.metadata.namespace ? `${loaded.metadata.namespace}/` : ''}${loaded.metadata.name}` : path ? path : 'New object';
  return (
    <section class="editor" aria-labelledby="editor-title" data-loaded={loaded ? `${loaded.kind}/${loaded.metadata.name}` : undefined}>
      <h2 id="editor-title">{title}</h2>
      {loaded && (
        <p>
          <a href={href(['events'], { object: `${loaded.kind}/${loaded.metadata.name}` })}>Events about it</a>
        </p>
      )}
      <textarea aria-label="YAML" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} rows={32} />
      <div class="actions">
        <button type="button" disabled={busy || !path} onClick={() => void run('save')} title="PUT: replace the object; refused if it changed since it was loaded">
          Save
        </button>
        <button type="button" disabled={busy} onClick={() => void run('apply')} title="Server-side apply as field manager workplane-console">
          Apply (server-side)
        </button>
        <button type="button" disabled={busy || !path} onClick={() => void load()}>
          Reload
        </button>
      </div>
      {outcome && (
        <p class={`notice ${outcome.ok ? 'ok' : 'error'}`} role={outcome.ok ? 'status' : 'alert'} data-testid="editor-outcome" data-reason={outcome.ok ? '' : (outcome.reason ?? '')}>
          {outcome.text}
        </p>
      )}
    </section>
  );
}

function failure(e: unknown): Outcome {
  if (e instanceof ApiRequestError) {
    const what = e.code === 403 ? 'Not permitted' : `${e.reason} (${e.code})`;
    return { ok: false, text: `${what}: ${e.message}`, reason: e.reason };
  }
  if (e instanceof EditError) return { ok: false, text: e.message, reason: 'Edit' };
  return { ok: false, text: (e as Error).message ?? String(e) };
}
