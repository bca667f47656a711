// Every active namespace has a `default` ServiceAccount (pods run as it unless
// they name another): created with the namespace, recreated if deleted.

import { isAlreadyExists, type ApiError } from '../../api/errors.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { NAMESPACES } from './namespace-controller.js';

export const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };
export const DEFAULT_SERVICE_ACCOUNT = 'default';

export interface ServiceAccountControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
}

export function serviceAccountController(client: Client, opts: ServiceAccountControllerOptions = {}): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const namespaces = informers.informerFor(NAMESPACES);
  const accounts = informers.informerFor(SERVICE_ACCOUNTS);
  const serviceAccounts = client.resource(SERVICE_ACCOUNTS);
  return controllerFor(client, { name: 'serviceaccount-controller', informers, log: opts.log })
    .watches(NAMESPACES, (ns) => ns.metadata.name)
    .watches(SERVICE_ACCOUNTS, (sa) => (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT ? sa.metadata.namespace : undefined))
    .complete(async (name) => {
      const ns = namespaces.get(undefined, name);
      if (!ns || ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
      if (accounts.get(name, DEFAULT_SERVICE_ACCOUNT)) return;
      try {
        await serviceAccounts.create(name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
      } catch (e) {
        // The informer lagged behind a create, or the namespace went away meanwhile.
        const code = (e as ApiError).code;
        if (isAlreadyExists(e) || code === 403 || code === 404) return;
        throw e;
      }
    });
}
