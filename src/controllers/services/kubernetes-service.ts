// The `kubernetes` Service in `default`, as kube-apiserver keeps it: the
// first address of the service CIDR, port 443 (https) to the API server, with
// Endpoints and an EndpointSlice naming the server's address. Clients inside
// the cluster find the API through it; `kubectl get svc` shows it.

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { parseIpv4 } from '../../api/compute/cidr.js';
import type { Client } from '../../client/types.js';
import { ENDPOINTS, ENDPOINT_SLICES, SERVICES } from './resources.js';

export interface ApiServerAddress {
  clusterIP: string;
  /** Where the API server listens (the endpoint). */
  host: string;
  port: number;
}

async function ensure(create: () => Promise<unknown>, refresh: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    await refresh();
  }
}

export async function ensureKubernetesService(client: Client, given: ApiServerAddress): Promise<void> {
  // Endpoints hold IPv4 addresses: a wildcard or named listen host is reached on loopback.
  const usable = parseIpv4(given.host) !== undefined && given.host !== '0.0.0.0';
  const a = { ...given, host: usable ? given.host : '127.0.0.1' };
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svc: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: a.clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: a.port }], sessionAffinity: 'None' },
  };
  const services = client.resource(SERVICES);
  const port = { spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: a.port }] } };
  if (await services.get('default', 'kubernetes')) await services.patch('default', 'kubernetes', 'merge', port);
  else await ensure(() => services.create('default', svc), () => services.patch('default', 'kubernetes', 'merge', port));
  const subsets = [{ addresses: [{ ip: a.host }], ports: [{ name: 'https', port: a.port, protocol: 'TCP' }] }];
  const endpoints = client.resource(ENDPOINTS);
  await ensure(
    () => endpoints.create('default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets }),
    () => endpoints.patch('default', 'kubernetes', 'merge', { subsets }),
  );
  const slices = client.resource(ENDPOINT_SLICES);
  const slice = { addressType: 'IPv4', endpoints: [{ addresses: [a.host], conditions: { ready: true } }], ports: [{ name: 'https', port: a.port, protocol: 'TCP' }] };
  await ensure(
    () => slices.create('default', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, ...slice }),
    () => slices.patch('default', 'kubernetes', 'merge', slice).catch((e) => {
      if (!isNotFound(e)) throw e;
    }),
  );
}
