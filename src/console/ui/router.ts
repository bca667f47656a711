// Hash routing (`#/nodes`, `#/edit?path=...`): the server serves one page,
// and a link or a reload lands on the same view.

import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`, e.g. ['workloads', 'compute']. */
  parts: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

export function href(parts: string[], params?: Record<string, string>): string {
  const q = params && Object.keys(params).length ? `?${new URLSearchParams(params)}` : '';
  return `#/${parts.map(encodeURIComponent).join('/')}${q}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The editor's link for an object at an API path. */
export const editHref = (path: string): string => href(['edit'], { path });
