// The namespace every view looks at. The choices come from a live list of
// Namespaces; a token that may not list them can still type one it may see.

import { useState } from 'preact/hooks';
import { useSession } from './context.js';
import { useType, useWatch } from './use-watch.js';

export function NamespaceSelect() {
  const { namespace, setNamespace } = useSession();
  const snap = useWatch(useType('', 'namespaces'), '');
  const [typed, setTyped] = useState(namespace);
  if (!snap || snap.phase === 'forbidden' || snap.phase === 'notFound') {
    return (
      <form
        class="namespace"
        onSubmit={(e) => {
          e.preventDefault();
          setNamespace(typed.trim());
        }}
      >
        <label for="namespace-input" title="This token may not list namespaces: type one">
          Namespace
        </label>
        <input id="namespace-input" placeholder="all namespaces" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
      </form>
    );
  }
  const names = snap.items.map((n) => n.metadata.name ?? '');
  if (namespace && !names.includes(namespace)) names.push(namespace);
  return (
    <div class="namespace">
      <label for="namespace-select">Namespace</label>
      <select id="namespace-select" value={namespace} onChange={(e) => setNamespace(e.currentTarget.value)}>
        <option value="">All namespaces</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
