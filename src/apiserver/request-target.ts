// Splits an HTTP request target into the decoded path and the query, as Go's
// net/http does before kube-apiserver sees a request: origin form (`/api?x`)
// or absolute form (`https://host/api?x`); a target Go cannot parse (a bad
// percent escape, a malformed absolute URL) is a 400, never an exception.

import { badRequest } from '../api/errors.js';
import { goUnescape, parseQuery } from '../api/query-values.js';

export interface RequestTarget {
  /** Percent-decoded path, as Go's URL.Path. */
  path: string;
  query: URLSearchParams;
}

export function parseRequestTarget(raw: string | undefined): RequestTarget {
  let target = raw ?? '/';
  if (!target.startsWith('/')) {
    // Absolute form; anything else (`*`, authority form) addresses no resource.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) throw badRequest(`invalid request target ${JSON.stringify(target)}`);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw badRequest(`invalid request target ${JSON.stringify(target)}`);
    }
    target = `${url.pathname}${url.search}`;
  }
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const path = goUnescape(rawPath, 'path');
  if (path === undefined) throw badRequest(`invalid URL escape in path ${JSON.stringify(rawPath)}`);
  return { path, query: parseQuery(q < 0 ? '' : target.slice(q + 1)) };
}
