// The user's token lives in sessionStorage: it survives a reload of the tab
// but not the tab itself, and is never sent anywhere but in the Authorization
// header of the page's own API calls (no cookie, so no CSRF). Logging out
// forgets it.

const TOKEN_KEY = 'workplane.console.token';
const NAMESPACE_KEY = 'workplane.console.namespace';

export const loadToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (t: string): void => sessionStorage.setItem(TOKEN_KEY, t);
export const forgetToken = (): void => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(NAMESPACE_KEY);
};

export const loadNamespace = (): string => sessionStorage.getItem(NAMESPACE_KEY) ?? '';
export const saveNamespace = (ns: string): void => sessionStorage.setItem(NAMESPACE_KEY, ns);
