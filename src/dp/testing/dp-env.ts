// Test support: an in-process control plane with a DP server beside it (the
// way `workplane serve` will run one), a second HTTPS API front on the same
// registry that serves DataplaneToken, tokens for tests, and polling helpers.

import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { KObject } from '../../api/object.js';
import { ApiMetrics } from '../../apiserver/metrics.js';
import { OpenApiPublisher } from '../../apiserver/openapi.js';
import { CustomHandlers } from '../../apiserver/resource-handler.js';
import { ApiServer } from '../../apiserver/server.js';
import { InProcessClient, silentLogger } from '../../client/index.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/control-plane.js';
import { serveOptions } from '../../controlplane/options.js';
import { createServerAuthenticator, loadOrCreatePki, TokenIssuer, writeKubeconfig, type Pki } from '../../security/index.js';
import type { KeepaliveOptions } from '../protocol/service.js';
import { createDpAuthenticator } from '../server/authenticator.js';
import { startDpServer, type DpServer } from '../server/dp-server.js';
import { publishDpServerAddress } from '../server/published-address.js';
import { issueDataplaneToken, type DataplaneTokenClaims } from '../tokens/dataplane-token.js';
import { dataplaneTokenDefinition, registerDataplaneTokenHandler } from '../tokens/dataplane-token-kind.js';

export const FAST_KEEPALIVE: KeepaliveOptions = { timeMs: 1000, timeoutMs: 1000 };

export interface DpEnvOptions {
  storage?: 'memory' | 'sqlite';
  dataDir?: string;
  instanceId?: string;
}

export class DpEnv {
  dp!: DpServer;
  tokenApi?: { server: Server; kubeconfig: string };

  private constructor(
    readonly dataDir: string,
    private readonly ownsDir: boolean,
    readonly cp: ControlPlane,
    readonly client: InProcessClient,
    readonly pki: Pki,
    readonly tokens: TokenIssuer,
  ) {}

  static async start(opts: DpEnvOptions = {}): Promise<DpEnv> {
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'workplane-dp-'));
    const cp = await startControlPlane(serveOptions({ dataDir, storage: opts.storage ?? 'memory', compactionIntervalSeconds: 0, apiOnly: true }));
    const pki = await loadOrCreatePki(dataDir, { hosts: ['127.0.0.1'] });
    const tokens = await TokenIssuer.loadOrCreate(dataDir);
    const env = new DpEnv(dataDir, !opts.dataDir, cp, new InProcessClient(cp.registry, { log: silentLogger }), pki, tokens);
    await env.startDp(opts.instanceId);
    return env;
  }

  /** (Re)starts the DP server (port 0: a free one) and publishes its address. */
  async startDp(instanceId?: string, port = 0): Promise<DpServer> {
    this.dp = await startDpServer({
      client: this.client,
      host: '127.0.0.1',
      port,
      pki: this.pki,
      authenticate: createDpAuthenticator({ signer: this.tokens.signer, serviceAccounts: this.tokens }),
      instanceId,
      log: silentLogger,
      keepalive: FAST_KEEPALIVE,
    });
    await publishDpServerAddress(this.client, this.dp.address, this.pki.caPem);
    return this.dp;
  }

  token(claims: DataplaneTokenClaims, validForSeconds?: number): Promise<string> {
    return issueDataplaneToken(this.tokens.signer, claims, validForSeconds).then((t) => t.token);
  }

  /** An API front on the control plane's registry that also serves DataplaneToken (until serve wires it). */
  async startTokenApi(): Promise<string> {
    const registry = this.cp.registry;
    if (!registry.lookup('kuma.io', 'v1alpha1', 'dataplanetokens')) registry.add(dataplaneTokenDefinition);
    const custom = new CustomHandlers();
    registerDataplaneTokenHandler(custom, this.tokens.signer);
    let address = '';
    const api = new ApiServer({
      registry,
      authenticator: createServerAuthenticator({ adminToken: this.cp.adminToken, tokenIssuer: this.tokens }),
      openapi: new OpenApiPublisher(() => []),
      metrics: new ApiMetrics(false),
      logger: pino({ level: 'silent' }),
      custom,
      version: { major: '1', minor: '32', gitVersion: 'v1.32.0+test' },
      ready: () => true,
      serverAddress: () => address,
      authorizer: this.cp.authorizer,
    });
    const server = createServer({ cert: this.pki.certPem, key: this.pki.keyPem }, api.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kubeconfig = join(this.dataDir, 'token-api.kubeconfig');
    await writeKubeconfig(kubeconfig, { server: `https://${address}`, caPem: this.pki.caPem, token: this.cp.adminToken });
    this.tokenApi = { server, kubeconfig };
    return kubeconfig;
  }

  dataplanes() {
    return this.client.resource({ group: 'kuma.io', version: 'v1alpha1', resource: 'dataplanes' });
  }

  insight(namespace: string, name: string): Promise<KObject | undefined> {
    return this.client.resource({ group: 'kuma.io', version: 'v1alpha1', resource: 'dataplaneinsights' }).get(namespace, name);
  }

  async stop(): Promise<void> {
    await this.dp.stop();
    if (this.tokenApi) {
      this.tokenApi.server.closeAllConnections();
      await new Promise<void>((r) => this.tokenApi!.server.close(() => r()));
    }
    await this.cp.stop();
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface Subscription {
  id: string;
  controlPlaneInstanceId: string;
  connectTime?: string;
  disconnectTime?: string;
}

export const subscriptionsOf = (dpi: KObject | undefined): Subscription[] =>
  ((dpi?.status as { subscriptions?: Subscription[] } | undefined)?.subscriptions ?? []);

/** Polls `read` until `ok` holds (no time limit of its own: the test runner's timeout bounds it). */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, intervalMs = 50): Promise<T> {
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A Dataplane manifest for tests. */
export function dataplaneManifest(name: string, opts: { namespace?: string; workload?: string; mesh?: string; ports?: number[]; address?: string } = {}): KObject {
  const labels: Record<string, string> = {};
  if (opts.workload) labels['kuma.io/workload'] = opts.workload;
  if (opts.mesh) labels['kuma.io/mesh'] = opts.mesh;
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Dataplane',
    metadata: { name, namespace: opts.namespace ?? 'default', labels },
    spec: {
      networking: {
        address: opts.address ?? '127.0.0.1',
        inbound: (opts.ports ?? [18080]).map((port) => ({ port, tags: { 'kuma.io/service': name } })),
      },
    },
  };
}
