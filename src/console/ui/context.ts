// What every view needs from the logged-in session: the API client (with the
// user's token), who the user is, the shared watches, what the server serves,
// and the namespace the user is looking at ('' = all namespaces).

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../model/api-client.js';
import type { ApiResources } from '../model/discovery.js';
import type { WatchHub } from '../model/watch-hub.js';
import type { WhoAmI } from '../model/whoami.js';

export interface ConsoleSession {
  api: ApiClient;
  hub: WatchHub;
  resources: ApiResources;
  /** Who the token stands for (a SelfSubjectReview); a string when the review failed, saying why. */
  user: WhoAmI | string;
  namespace: string;
  setNamespace(ns: string): void;
  logout(): void;
}

export const SessionContext = createContext<ConsoleSession | null>(null);

export function useSession(): ConsoleSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a logged-in session');
  return s;
}
