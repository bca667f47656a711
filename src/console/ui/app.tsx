// The console's root: the login form until a token is accepted, then the
// session (API client, shared watches, discovery) and the shell around the
// views. Logging out, or the API refusing the token later, forgets the token
// and closes every watch.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from '../model/api-client.js';
import { ApiResources, DISCOVERY_ACCEPT, parseAggregatedDiscovery } from '../model/discovery.js';
import { WatchHub } from '../model/watch-hub.js';
import { fetchWhoAmI, type WhoAmI } from '../model/whoami.js';
import { SessionContext, type ConsoleSession } from './context.js';
import { Login } from './login.js';
import { forgetToken, loadNamespace, loadToken, saveNamespace, saveToken } from './session.js';
import { Shell } from './shell.js';

export function App() {
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [expired, setExpired] = useState<string | null>(null);
  if (!token)
    return (
      <>
        {expired && (
          <p class="notice error banner" role="alert">
            {expired}
          </p>
        )}
        <Login
          onLogin={(t) => {
            saveToken(t);
            setExpired(null);
            setToken(t);
          }}
        />
      </>
    );
  return (
    <Session
      key={token}
      token={token}
      onLogout={(why) => {
        forgetToken();
        setExpired(why ?? null);
        setToken(null);
      }}
    />
  );
}

function Session({ token, onLogout }: { token: string; onLogout: (why?: string) => void }) {
  const api = useMemo(() => new ApiClient(token, undefined, () => onLogout('The API server no longer accepts the token (401): log in again.')), [token]);
  const hub = useMemo(() => new WatchHub(api), [api]);
  const [resources, setResources] = useState<ApiResources | null>(null);
  const [user, setUser] = useState<WhoAmI | string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [namespace, setNs] = useState(() => loadNamespace());

  useEffect(() => {
    let live = true;
    Promise.all([api.request('/api', { accept: DISCOVERY_ACCEPT }), api.request('/apis', { accept: DISCOVERY_ACCEPT })])
      .then(([core, groups]) => live && setResources(new ApiResources([...parseAggregatedDiscovery(core), ...parseAggregatedDiscovery(groups)])))
      .catch((e: Error) => live && setError(`Discovery failed: ${e.message}`));
    // The console works without it: a refused review only leaves the user unnamed.
    fetchWhoAmI(api)
      .then((w) => live && setUser(w))
      .catch((e: Error) => live && setUser(`identity unknown: ${e.message}`));
    return () => {
      live = false;
      hub.close();
    };
  }, [api, hub]);

  if (error) return <p class="notice error" role="alert">{error}</p>;
  if (!resources) return <p class="notice">Discovering what the API server serves…</p>;
  const session: ConsoleSession = {
    api,
    hub,
    resources,
    user: user ?? 'asking who you are…',
    namespace,
    setNamespace: (ns) => {
      saveNamespace(ns);
      setNs(ns);
    },
    logout: () => onLogout(),
  };
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
