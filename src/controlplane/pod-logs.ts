// GET pods/{name}/log (`kubectl logs`): picks the container as kube-apiserver
// does, then streams the text from the agent running the pod, either in this
// process (a registered local LogSource) or over HTTPS from the remote
// agent's log server at the node's address and
// status.daemonEndpoints.kubeletEndpoint.Port.

import { badRequest, invalid, methodNotAllowed } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { HandlerContext } from '../apiserver/request-context.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { parseLogQuery } from '../agent/log-server/log-query.js';
import { remoteLogSource } from '../agent/log-server/remote-log-source.js';
import { sendLog } from '../agent/log-server/send-log.js';
import type { LogSource } from '../agent/log-source.js';
import type { Registry } from '../registry/registry.js';
import type { CertKeyPem } from '../security/keys.js';

export interface PodLogsDeps {
  registry: Registry;
  /** The LogSource of a node served in this process, if it is one. */
  localSource: (nodeName: string) => LogSource | undefined;
  /** How the API server reaches node agents: the cluster CA (node serving certificates) and its own client certificate. */
  nodeClient: { caPem: string; clientCertificate: () => Promise<CertKeyPem> };
}

// kube-apiserver's preference among node addresses, with InternalIP first:
// agents report the address they are reachable at there.
const ADDRESS_ORDER = ['InternalIP', 'InternalDNS', 'Hostname', 'ExternalIP', 'ExternalDNS'];

type Container = { name?: string };
const names = (list: unknown): string[] => (Array.isArray(list) ? (list as Container[]).map((c) => String(c.name)) : []);

/** The container to read: the one asked for if the pod has it, else the only one. */
export function logContainer(pod: KObject, asked: string | undefined): string {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const podName = pod.metadata.name!;
  const containers = names(spec.containers);
  const all = [...names(spec.initContainers), ...containers, ...names(spec.ephemeralContainers)];
  if (asked) {
    if (!all.includes(asked)) throw badRequest(`container ${asked} is not valid for pod ${podName}`);
    return asked;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${all.join(' ')}]`);
}

/** Where a node's log server listens, from its status. */
export function nodeLogEndpoint(node: KObject): { host: string; port: number } {
  const status = (node.status ?? {}) as { addresses?: { type?: string; address?: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  const addresses = status.addresses ?? [];
  const name = node.metadata.name!;
  let host: string | undefined;
  for (const type of ADDRESS_ORDER) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) throw badRequest(`node ${name} has no address in status.addresses`);
  const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port) throw badRequest(`node ${name} does not serve container logs (status.daemonEndpoints.kubeletEndpoint.Port is not set)`);
  return { host, port };
}

export function registerPodLogsHandler(custom: CustomHandlers, deps: PodLogsDeps): void {
  custom.register('/pods/log', async (ctx: HandlerContext) => {
    if (ctx.req.method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
    const name = ctx.info.name!;
    const namespace = ctx.info.namespace!;
    const { request, errors } = parseLogQuery(ctx.query);
    if (errors.length) throw invalid('PodLogOptions', '', name, errors);
    const pod = await ctx.store.get(namespace, name);
    const container = logContainer(pod, request.container);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) {
      // As kube-apiserver: a pod not yet on a node has no logs, and that is not an error.
      ctx.res.writeHead(204);
      ctx.res.end();
      return;
    }
    let source = deps.localSource(nodeName);
    if (!source) {
      const node = await deps.registry.lookup('', 'v1', 'nodes')!.get(undefined, nodeName);
      source = remoteLogSource({ ...nodeLogEndpoint(node), nodeName, ...deps.nodeClient });
    }
    const stream = await source.logs(namespace, name, { ...request, container });
    // A client gone before the first byte must still release the source.
    if (ctx.res.socket?.destroyed) return void stream.destroy();
    await sendLog(ctx.res, stream);
  });
}
