// Who a request comes from, as authentication hands it to authorization and
// admission. Names and groups are spelled as Kubernetes spells them, since RBAC
// bindings and `kubectl auth` output show them verbatim.

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export const ADMIN_USERNAME = 'admin';
export const GROUP_MASTERS = 'system:masters';
export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_SERVICE_ACCOUNTS = 'system:serviceaccounts';
const SA_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** The namespace and name in `system:serviceaccount:<ns>:<name>`, or null for any other username. */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SA_PREFIX)) return null;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return null;
  return { namespace: parts[0]!, name: parts[1]! };
}

export function serviceAccountGroups(namespace: string): string[] {
  return [GROUP_SERVICE_ACCOUNTS, `${GROUP_SERVICE_ACCOUNTS}:${namespace}`, GROUP_AUTHENTICATED];
}
