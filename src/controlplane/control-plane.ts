// Assembles `workplane serve`: storage, watch cache, registry of definitions,
// admission, security, the HTTPS API server, bootstrap objects and the
// in-process controllers. `startControlPlane` returns once /readyz would say ok.

import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ResourceDefinition } from '../api/definition.js';
import { coreDefinitions } from '../api/core/index.js';
import { widgetDefinition } from '../api/testing-kinds/widget.js';
import { kumaDefinitions } from '../api/kuma/index.js';
import { computeWorkloadDefinition, networkDefinition, projectDefinition } from '../api/compute/index.js';
import { schedulingWorkloadDefinition } from '../api/scheduling/index.js';
import { appsDefinitions } from '../api/apps/index.js';
import { batchDefinitions } from '../api/batch/index.js';
import { endpointSliceDefinition } from '../api/discovery/endpoint-slice.js';
import { ingressDefinition } from '../api/networking/ingress.js';
import { ipAddressDefinition } from '../api/networking/ip-address.js';
import { serviceCIDRDefinition } from '../api/networking/service-cidr.js';
import { ApiMetrics } from '../apiserver/metrics.js';
import { OpenApiPublisher } from '../apiserver/openapi.js';
import { CustomHandlers } from '../apiserver/resource-handler.js';
import { ApiServer } from '../apiserver/server.js';
import { applyHttpLimits, DEFAULT_HTTP_LIMITS, serverConstructionOptions } from '../apiserver/http-limits.js';
import { AdmissionChain } from '../registry/admission.js';
import { Registry } from '../registry/registry.js';
import { WatchCache } from '../registry/watch-cache.js';
import { serviceAccountTokenValidator, onCredentialOwnerDeleted } from './service-account-validator.js';
import { ClusterSigner, ServiceAccountTokenAuthenticator, createServerAuthenticator, writeKubeconfig } from '../security/index.js';
import { certificateSigningRequestDefinition } from '../api/certificates/index.js';
import { NodeAuthorizer } from '../authz/node-authorizer.js';
import { NodeGraph } from '../authz/node-graph.js';
import { nodeRestriction } from './node-restriction.js';
import { registerCsrApprovalHandler } from './csr-approval.js';
import { csrSignerAdmission } from './csr-signer-admission.js';
import { kubeletClientCertificate } from './kubelet-client.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token-authenticator.js';
import { openStore } from '../storage/open-store.js';
import { secureDataDir } from '../storage/data-dir.js';
import type { Store } from '../storage/types.js';
import { ensureNamespaces } from './bootstrap.js';
import { loadClusterCredentials } from './cluster-credentials.js';
import { inProcessNodePrefix, resolveReplicaName } from './replica-name.js';
import { namespaceLifecycle, serviceAccountAdmission, SYSTEM_NAMESPACES } from './core-admission.js';
import { registerCoreHandlers } from './core-handlers.js';
import { registerEvictionHandler } from './eviction.js';
import { registerTokenReviewHandler, tokenReviewDefinition } from './token-review.js';
import { registerPodLogsHandler } from './pod-logs.js';
import { localLogSource } from '../agent/local-log-sources.js';
import { startInProcessAgent } from '../agent/in-process.js';
import { createDpAuthenticator, dataplaneTokenDefinition, publishDpServerAddress, registerDataplaneTokenHandler, startDpServer, type DpServer } from '../dp/index.js';
import { defaultTolerationSeconds } from '../controllers/nodes/index.js';
import { isGroupEnabled, type ServeOptions } from './options.js';
import { Compactor } from './compactor.js';
import { VERSION } from '../version.js';
import { InProcessClient } from '../client/in-process-client.js';
import { computeAdmissionPlugins } from '../controllers/compute/index.js';
import { startControllers } from './controllers.js';
import { loadMeshConfig } from '../mesh/config.js';
import { ensureMeshBootstrap, meshAdmissionPlugins } from '../controllers/mesh/index.js';
import { startIdentityControllers } from '../identity/index.js';
import { createLogger } from '../logging/logger.js';
import { HiddenWorkloads } from './hidden-workloads.js';
import { bareWorkloadGroup, orderForWorkloadApi } from './workload-api.js';
import { rbacDefinitions } from '../api/rbac/index.js';
import { startAuthorization } from './authorization.js';
import type { ChainAuthorizer } from '../authz/create-authorizer.js';
import { registerAccessReviewHandlers } from './access-review-handlers.js';
import { openAuditor } from './audit.js';
import { customResourceDefinitionDefinition } from '../api/apiextensions/index.js';
import { CRDS, startCrdController } from '../controllers/apiextensions/index.js';
import { AddressRepair, ServiceAllocator, StoredAddressBook, ensureDefaultServiceCIDR, ensureKubernetesService, serviceAdmissionPlugins, serviceRanges } from '../controllers/services/index.js';

export interface ControlPlane {
  url: string;
  host: string;
  port: number;
  kubeconfigPath: string;
  adminToken: string;
  caPem: string;
  registry: Registry;
  store: Store;
  logger: Logger;
  /** The authorizer chain the API server asks (RBAC or AlwaysAllow, after system:masters). */
  authorizer: ChainAuthorizer;
  stop(): Promise<void>;
}

/** Definitions served, in discovery order; groups switched off by --runtime-config are left out. */
export function servedDefinitions(opts: ServeOptions): ResourceDefinition[] {
  // Discovery order matters: a bare `workloads` resolves to the first group (kuma.io, then compute, then scheduling,
  // unless --workload-api puts another first).
  const defs: ResourceDefinition[] = [
    ...coreDefinitions,
    tokenReviewDefinition,
    ...rbacDefinitions,
    certificateSigningRequestDefinition,
    ...kumaDefinitions,
    dataplaneTokenDefinition,
    computeWorkloadDefinition,
    networkDefinition,
    projectDefinition,
  ];
  if (opts.featureGates.GenericWorkload !== false) defs.push(schedulingWorkloadDefinition);
  // The standard workload, discovery and networking kinds follow the Workload groups, so a bare `workloads` keeps its meaning.
  defs.push(...appsDefinitions, ...batchDefinitions, endpointSliceDefinition, ingressDefinition, ipAddressDefinition, serviceCIDRDefinition);
  defs.push(customResourceDefinitionDefinition);
  if (isGroupEnabled(opts, 'example.workplane.dev/v1', false)) defs.push(widgetDefinition);
  // --workload-api moves the chosen group's kinds ahead of the other Workload groups.
  return orderForWorkloadApi(
    defs.filter((d) => d.group === '' || isGroupEnabled(opts, `${d.group}/${d.version}`)),
    opts.workloadApi,
  );
}

/** What `workplane serve` keeps in its data directory (all of it private). */
export const DATA_DIR_ENTRIES = ['state.db', 'state.db-wal', 'state.db-shm', 'state.db-journal', 'admin.token', 'kubeconfig', 'pki'];

export function splitHostPort(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen: expected HOST:PORT, got "${listen}"`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port: Number(m[3]) };
}

export async function startControlPlane(opts: ServeOptions): Promise<ControlPlane> {
  const dataDir = resolve(opts.dataDir);
  secureDataDir(dataDir, DATA_DIR_ENTRIES);
  const logger = createLogger({ level: opts.logLevel, format: opts.logFormat ?? 'json' });
  const store = await openStore({ kind: opts.storage, dataDir, etcdEndpoints: opts.etcdEndpoints, etcdPrefix: opts.etcdPrefix });
  const cache = new WatchCache(store);
  await cache.start();
  const admission = new AdmissionChain();
  const registry = new Registry({ storage: store, cache, admission });
  const served = servedDefinitions(opts);
  for (const def of served) registry.add(def);
  const hiddenWorkloads = new HiddenWorkloads(registry, cache, bareWorkloadGroup(served)).start();
  admission
    .register(namespaceLifecycle(registry))
    .register(serviceAccountAdmission(registry))
    .register(defaultTolerationSeconds(opts.nodeEvictionSeconds))
    .register(nodeRestriction());
  for (const p of computeAdmissionPlugins(registry)) admission.register(p);
  const serviceAllocator = new ServiceAllocator(serviceRanges(opts.serviceClusterIPRange, opts.serviceNodePortRange), new StoredAddressBook(registry));
  for (const p of serviceAdmissionPlugins(registry, serviceAllocator)) admission.register(p);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  // Nodes are decided by the Node authorizer, in front of RBAC (kube's Node,RBAC).
  const nodeGraph = new NodeGraph(cache, registry.lookup('', 'v1', 'pods')!.cd.prefix);
  const authz = startAuthorization({ registry, admission, mode: opts.authorizationMode, signal: abort.signal, logger, before: [new NodeAuthorizer(nodeGraph)] });
  admission.register(csrSignerAdmission(authz.authorizer));
  const auditor = opts.audit ? openAuditor(opts.audit, logger) : undefined;
  const meshConfig = loadMeshConfig(opts.config);
  const meshOn = isGroupEnabled(opts, 'kuma.io/v1alpha1');
  if (meshOn) for (const p of meshAdmissionPlugins(registry, meshConfig)) admission.register(p);

  const { host, port } = splitHostPort(opts.listen);
  const { pki, adminToken, tokens } = await loadClusterCredentials(store, dataDir, [host], opts, logger);
  const replicaName = resolveReplicaName(opts, dataDir);
  // ServiceAccount tokens are checked against the live ServiceAccount (and bound Pod/Secret); a deletion revokes at once.
  const validateServiceAccount = serviceAccountTokenValidator(registry);
  const serviceAccountAuthenticator = new ServiceAccountTokenAuthenticator(tokens, { validate: validateServiceAccount });
  const stopRevocations = onCredentialOwnerDeleted(registry, cache, () => serviceAccountAuthenticator.clearCache());
  const authenticator = createServerAuthenticator({
    adminToken,
    tokenIssuer: tokens,
    clientCaPem: pki.caPem,
    serviceAccountAuthenticator,
    extraTokenAuthenticators: [new BootstrapTokenAuthenticator(registry)],
  });
  const signer = new ClusterSigner(pki.caPem, pki.caKeyPem);
  const custom = new CustomHandlers();
  registerCoreHandlers(custom, registry, tokens);
  registerEvictionHandler(custom, registry);
  registerCsrApprovalHandler(custom);
  registerTokenReviewHandler(custom, authenticator, tokens.apiAudiences);
  registerDataplaneTokenHandler(custom, tokens.signer, meshConfig.dataplaneTokenMaxValiditySeconds);
  registerPodLogsHandler(custom, { registry, localSource: localLogSource, nodeClient: { caPem: pki.caPem, clientCertificate: kubeletClientCertificate(signer) } });
  registerAccessReviewHandlers(custom, authz.authorizer);
  const metrics = new ApiMetrics();
  metrics.countObjects(() => registry.all().map((s) => [s.cd.qualified, cache.size(s.cd.prefix)] as [string, number]));
  const openapi = new OpenApiPublisher(() => registry.groupVersions().map((gv) => ({ group: gv.group, version: gv.version, defs: gv.stores.map((s) => s.cd) })));
  registry.onChange(() => openapi.invalidate());
  let ready = false;
  let address = `${host}:${port}`;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...opts.httpLimits };
  const api = new ApiServer({
    registry,
    authenticator,
    openapi,
    metrics,
    logger,
    custom,
    version: {
      major: '1',
      minor: '32',
      gitVersion: `v1.32.0+workplane-${VERSION}`,
      gitCommit: 'workplane',
      gitTreeState: 'clean',
      buildDate: '2026-11-22T00:00:00Z',
      goVersion: `node${process.versions.node}`,
      compiler: 'tsc',
      platform: `${process.platform}/${process.arch}`,
    },
    ready: () => ready,
    serverAddress: () => address,
    readWarnings: (info) => hiddenWorkloads.warningsFor(info),
    authorizer: authz.authorizer,
    auditor,
    watchLimits: limits,
  });
  // Client certificates are asked for (nodes authenticate with them) but not required: kubectl sends a token.
  const server: Server = createServer({ cert: pki.certPem, key: pki.keyPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false, ...serverConstructionOptions(limits) }, api.handle);
  applyHttpLimits(server, limits);
  server.on('clientError', api.onClientError);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => res());
  });
  const actualPort = (server.address() as AddressInfo).port;
  address = `${host}:${actualPort}`;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `https://${urlHost}:${actualPort}`;

  await ensureNamespaces(registry, SYSTEM_NAMESPACES);
  const apiserverClient = new InProcessClient(registry, { fieldManager: 'kube-apiserver', log: logger });
  await ensureDefaultServiceCIDR(apiserverClient, serviceAllocator.ranges.clusterIPRange);
  // Services stored before their addresses were recorded (or by an older version) get their records before anyone allocates.
  const servicesNow = registry.forKind('', 'Service') ? (await registry.forKind('', 'Service')!.list(undefined, { resourceVersion: '0' })).items : [];
  await new AddressRepair(serviceAllocator, () => servicesNow, { log: logger }).repair();
  await ensureKubernetesService(apiserverClient, { clusterIP: serviceAllocator.firstIP(), host, port: actualPort });
  await authz.bootstrap();
  // Part of the API server itself: every replica serves the kinds CRDs define
  // (unless --runtime-config switched apiextensions.k8s.io/v1 off).
  const crds = registry.lookup(CRDS.group, CRDS.version, CRDS.resource)
    ? startCrdController(new InProcessClient(registry, { fieldManager: 'apiextensions-controller', log: logger }), registry, abort.signal, { log: logger })
    : undefined;
  await crds?.synced;
  const full = !opts.apiOnly;
  const agent = full && opts.agentNodes > 0
    ? await startInProcessAgent(new InProcessClient(registry, { fieldManager: 'workplane-agent', log: logger }), { nodes: opts.agentNodes, namePrefix: inProcessNodePrefix(replicaName), runtime: 'simulated', log: logger, mesh: meshOn ? { issuer: tokens, systemNamespace: meshConfig.systemNamespace } : undefined })
    : undefined;
  let identity: ReturnType<typeof startIdentityControllers> | undefined;
  if (meshOn) {
    const meshClient = new InProcessClient(registry, { fieldManager: 'workplane-controllers', log: logger });
    await ensureMeshBootstrap(meshClient, meshConfig);
    // Identity issuance serves the proxies connected to this replica, so it runs on every replica.
    if (full) identity = startIdentityControllers(meshClient, abort.signal, { systemNamespace: meshConfig.systemNamespace, log: logger });
  }
  // The DP server starts after the controllers; the keeper of its published address learns of it then.
  let dpPublished: { address: string; caPem: string } | undefined;
  let keeper: { check(): void } | undefined;
  const dpServer = meshOn ? { namespace: meshConfig.systemNamespace, published: () => dpPublished, keeper: (k: { check(): void } | undefined) => (keeper = k) } : undefined;
  const controllersDone = full ? startControllers({ registry, opts, logger, replicaName, mesh: meshOn ? meshConfig : undefined, signer, dpServer, serviceAllocator }, abort.signal) : undefined;
  const compactor = new Compactor(store, opts.compactionIntervalSeconds * 1000, logger);
  compactor.start();
  let dp: DpServer | undefined;
  if (meshOn && full) {
    const dpClient = new InProcessClient(registry, { fieldManager: 'dp-server', log: logger });
    dp = await startDpServer({
      client: dpClient,
      host,
      port: opts.dpPort ?? (port === 0 ? 0 : 5678),
      pki,
      authenticate: createDpAuthenticator({ signer: tokens.signer, serviceAccounts: tokens, validate: validateServiceAccount }),
      log: logger,
    });
    if (identity) dp.addHandler(identity.dpPlugin({ insights: dp.insights }));
    await publishDpServerAddress(dpClient, dp.address, pki.caPem, meshConfig.systemNamespace);
    dpPublished = { address: dp.address, caPem: pki.caPem };
    keeper?.check();
  }
  const kubeconfigPath = opts.kubeconfigPath ?? join(dataDir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.caPem, token: adminToken });
  await authz.synced();
  ready = true;
  logger.info({ url, storage: opts.storage, dpServer: dp?.address }, 'control plane started');

  const sockets = new Set<import('node:net').Socket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url,
    host,
    port: actualPort,
    kubeconfigPath,
    adminToken,
    caPem: pki.caPem,
    registry,
    store,
    logger,
    authorizer: authz.authorizer,
    async stop() {
      ready = false;
      await agent?.stop();
      await dp?.stop();
      abort.abort();
      compactor.stop();
      await controllersDone;
      await crds?.done;
      await identity?.done;
      await authz.done;
      api.endWatches();
      hiddenWorkloads.stop();
      nodeGraph.stop();
      stopRevocations();
      await new Promise<void>((res) => {
        server.close(() => res());
        for (const s of sockets) s.destroy();
      });
      cache.stop();
      auditor?.close();
      await store.close();
    },
  };
}
