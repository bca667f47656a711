// The login form: the user pastes a bearer token (the admin token from the
// kubeconfig, or a ServiceAccount token from `kubectl create token`). It is
// checked against the API before the console opens; a refused token says so.

import { useState } from 'preact/hooks';
import { ApiClient, isUnauthorized } from '../model/api-client.js';

export function Login({ onLogin }: { onLogin: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) return setError('Paste a bearer token.');
    setBusy(true);
    setError(null);
    try {
      // Any authenticated request tells whether the token is accepted; /api is one everybody may read.
      await new ApiClient(t).get('/api');
      onLogin(t);
    } catch (err) {
      setError(isUnauthorized(err) ? `The API server refused this token (401 Unauthorized): ${(err as Error).message}` : `Could not reach the API server: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form onSubmit={submit} aria-label="Log in">
        <h1>Workplane console</h1>
        <p class="muted">
          Log in with a bearer token: the <code>token</code> of the user in the kubeconfig <code>workplane serve</code> wrote, or one from{' '}
          <code>kubectl create token</code>. The console sees and does only what the token may.
        </p>
        <label for="token">Bearer token</label>
        <input id="token" name="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
        {error && (
          <p class="notice error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
