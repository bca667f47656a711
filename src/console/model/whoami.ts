// Who the console is logged in as, asked of the API the way `kubectl auth
// whoami` asks: a SelfSubjectReview (authentication.k8s.io/v1), which every
// authenticated user may create, answered with the user the token stands for.

import type { ApiClient } from './api-client.js';

export interface WhoAmI {
  username: string;
  groups: string[];
}

const REVIEW_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

export async function fetchWhoAmI(api: ApiClient, signal?: AbortSignal): Promise<WhoAmI> {
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  const review = await api.request<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>(REVIEW_PATH, { method: 'POST', body, contentType: 'application/json', signal });
  const info = review.status?.userInfo ?? {};
  return { username: info.username ?? '', groups: Array.isArray(info.groups) ? info.groups : [] };
}

/** `logged in as alice (devs, system:authenticated)`; groups left out when there are none. */
export function whoAmIText(w: WhoAmI): string {
  return `logged in as ${w.username || '(unknown user)'}${w.groups.length ? ` (${w.groups.join(', ')})` : ''}`;
}
