// Where proxies find the DP server: a ConfigMap the control plane publishes in
// the system namespace (address and the CA to pin), so `workplane dp run` only
// needs a kubeconfig to connect.

import { isAlreadyExists, isConflict } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { DEFAULT_SYSTEM_NAMESPACE } from '../../api/kuma/labels.js';
import type { Client } from '../../client/types.js';

export const DP_SERVER_CONFIGMAP = 'workplane-dp-server';
export const ADDRESS_KEY = 'address';
export const CA_KEY = 'ca.crt';

export interface PublishedDpServer {
  address: string;
  caPem: string;
}

const configMaps = (c: Client) => c.resource({ group: '', version: 'v1', resource: 'configmaps' });

/** Creates or updates the ConfigMap (and its namespace when missing). */
export async function publishDpServerAddress(client: Client, address: string, caPem: string, namespace = DEFAULT_SYSTEM_NAMESPACE): Promise<void> {
  try {
    await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  const data = { [ADDRESS_KEY]: address, [CA_KEY]: caPem };
  const cms = configMaps(client);
  for (let attempt = 1; ; attempt++) {
    const cur = await cms.get(namespace, DP_SERVER_CONFIGMAP);
    try {
      if (!cur) {
        const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DP_SERVER_CONFIGMAP, namespace }, data };
        await cms.create(namespace, cm);
      } else {
        cur.data = data;
        await cms.update(namespace, cur);
      }
      return;
    } catch (e) {
      if (!(isConflict(e) || isAlreadyExists(e)) || attempt >= 5) throw e;
    }
  }
}

/** The published address, or undefined when the control plane has not published one. */
export async function readDpServerAddress(client: Client, namespace = DEFAULT_SYSTEM_NAMESPACE): Promise<PublishedDpServer | undefined> {
  const cm = await configMaps(client).get(namespace, DP_SERVER_CONFIGMAP);
  const data = (cm?.data ?? {}) as Record<string, string>;
  if (!data[ADDRESS_KEY]) return undefined;
  return { address: data[ADDRESS_KEY], caPem: data[CA_KEY] ?? '' };
}
