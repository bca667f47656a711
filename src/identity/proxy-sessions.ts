// The control plane's side of identity on DP streams: which proxies are
// connected, the key each proved it holds (its latest CSR), and what was
// issued to it. A proxy is (re)evaluated when it sends a request, when its
// Dataplane changes, when identities or trust of its mesh change, and when
// its certificate reaches 4/5 of its life; evaluation issues only when the
// outcome differs (new identity, CA, SPIFFE ID or lifetime) or renewal is
// due, and otherwise at most refreshes the trust bundle.
//
// Renewals and CA changes re-sign the key the proxy already proved, so a CA
// rotation over thousands of proxies costs one signature each and no round
// trip; a new key (proxy restart, new key type) arrives as a new CSR.
// Bulk work runs in slices so DP streams and the API stay responsive;
// status.mTLS follows through MtlsRecorder.

import { meshOf } from '../api/kuma/labels.js';
import type { KObject } from '../api/object.js';
import { silentLogger, type Logger } from '../client/logger.js';
import type { VerifiedKey } from './der/csr.js';
import type { InsightWriter } from './insight-mtls.js';
import type { IssuedCertificate, Issuer } from './issuer.js';
import type { IdentityControlMessage } from './messages.js';
import { MtlsRecorder } from './mtls-recorder.js';
import { missingWorkloadLabel } from './render.js';
import { RenewalScheduler, renewAt, type Clock } from './renewal.js';
import { selectIdentityFor } from './selection.js';

/** One DP stream as issuance sees it. */
export interface ProxyChannel {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly dataplane: KObject;
  send(msg: IdentityControlMessage): void;
}

interface Held {
  identityKey: string;
  caFingerprint: string;
  spiffeId: string;
  expiryMs: number;
  cert: IssuedCertificate;
}

interface SessionState {
  ch: ProxyChannel;
  dp: KObject;
  key?: VerifiedKey;
  held?: Held;
  /** Last error sent, so a repeated evaluation does not repeat it. */
  lastError?: string;
}

export interface ProxySessionsOptions {
  /** Where status.mTLS is recorded; none: not recorded. */
  insights?: InsightWriter;
  clock?: Clock;
  log?: Logger;
  /** Proxies evaluated per turn of the event loop during bulk changes (default 256). */
  batchSize?: number;
}

export class ProxySessions {
  private readonly sessions = new Map<string, SessionState>();
  private readonly byDataplane = new Map<string, Set<string>>();
  private readonly queue = new Map<string, boolean>();
  private draining?: Promise<void>;
  private readonly recorder: MtlsRecorder;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly unsubscribe: () => void;
  readonly scheduler: RenewalScheduler<string>;
  /** Certificates issued and requests refused since start. */
  readonly counters = { issued: 0, refused: 0 };

  constructor(
    readonly issuer: Issuer,
    opts: ProxySessionsOptions = {},
  ) {
    this.log = opts.log ?? silentLogger;
    this.recorder = new MtlsRecorder((mesh) => issuer.registry.trustNames(mesh), () => this.queue.size > 0, this.log);
    this.recorder.insights = opts.insights;
    this.batchSize = opts.batchSize ?? 256;
    this.scheduler = new RenewalScheduler((id) => this.enqueue(id, true), opts.clock);
    this.unsubscribe = issuer.registry.onChange((meshes) => this.meshesChanged(meshes));
  }

  /** Where status.mTLS is recorded from now on. */
  useInsights(w: InsightWriter): void {
    this.recorder.insights = w;
  }

  /** The connect-time refusal for `dp` (spec message), or undefined when it may connect. */
  admissionError(dp: KObject): string | undefined {
    const mi = selectIdentityFor(dp, this.issuer.registry.ofMesh(meshOf(dp)));
    return mi ? missingWorkloadLabel(mi, dp) : undefined;
  }

  open(ch: ProxyChannel): void {
    this.sessions.set(ch.id, { ch, dp: ch.dataplane });
    const k = `${ch.namespace}/${ch.name}`;
    let ids = this.byDataplane.get(k);
    if (!ids) this.byDataplane.set(k, (ids = new Set()));
    ids.add(ch.id);
  }

  /** A CSR from the proxy: verified now, then answered with a certificate or the reason there is none. */
  request(id: string, csr: string | Buffer): void {
    const s = this.sessions.get(id);
    if (!s) return;
    const key = this.issuer.verifyRequest(csr);
    if ('ok' in key) {
      this.counters.refused++;
      return this.sendError(s, key.message, true);
    }
    s.key = key;
    s.lastError = undefined;
    this.evaluate(s, true);
  }

  close(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    this.queue.delete(id);
    this.scheduler.cancel(id);
    const k = `${s.ch.namespace}/${s.ch.name}`;
    const ids = this.byDataplane.get(k);
    ids?.delete(id);
    if (ids?.size === 0) this.byDataplane.delete(k);
  }

  /** The Dataplane changed (labels, mesh): its proxies are re-evaluated with the new object. */
  dataplaneChanged(dp: KObject): void {
    for (const id of this.byDataplane.get(`${dp.metadata.namespace}/${dp.metadata.name}`) ?? []) {
      const s = this.sessions.get(id);
      if (!s) continue;
      s.dp = dp;
      this.enqueue(id, false);
    }
  }

  /** What a proxy holds now (tests, diagnostics). */
  held(id: string): IssuedCertificate | undefined {
    return this.sessions.get(id)?.held?.cert;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Resolves once queued evaluations and DataplaneInsight writes have finished. */
  async settled(): Promise<void> {
    do {
      while (this.draining) await this.draining;
      await this.recorder.idle();
    } while (this.draining);
  }

  stop(): void {
    this.unsubscribe();
    this.scheduler.cancelAll();
    this.queue.clear();
  }

  private meshesChanged(meshes: ReadonlySet<string>): void {
    for (const [id, s] of this.sessions) if (meshes.has(meshOf(s.dp))) this.enqueue(id, false);
  }

  private enqueue(id: string, force: boolean): void {
    this.queue.set(id, this.queue.get(id) === true || force);
    // Started from a microtask so `draining` is set before the loop can clear it.
    if (!this.draining) this.draining = Promise.resolve().then(() => this.drain());
  }

  private async drain(): Promise<void> {
    for (;;) {
      let n = 0;
      for (const [id, force] of this.queue) {
        this.queue.delete(id);
        const s = this.sessions.get(id);
        if (s) {
          try {
            this.evaluate(s, force);
          } catch (e) {
            this.log.error({ err: e, dataplane: `${s.ch.namespace}/${s.ch.name}` }, 'identity: evaluation failed');
          }
        }
        if (++n >= this.batchSize) break;
      }
      if (this.queue.size === 0) {
        this.draining = undefined;
        this.recorder.pump();
        return;
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  private evaluate(s: SessionState, force: boolean): void {
    if (!s.key) return; // nothing to sign until the proxy sends a request
    const plan = this.issuer.plan(s.dp);
    if (!plan.ok) {
      const had = s.held;
      this.drop(s);
      if (plan.reason !== 'NotSelected') return this.sendError(s, plan.message, false);
      // Deselected: said once. Never selected: said in answer to its request only.
      if (had) this.sendError(s, `${plan.message}; the certificate from MeshIdentity '${had.cert.identityName}' will not be renewed`, false);
      else if (force) this.sendError(s, plan.message, false);
      return;
    }
    const h = s.held;
    const ca = plan.identity.ca;
    const same = h && h.identityKey === plan.identity.key && h.caFingerprint === ca.fingerprint && h.spiffeId === plan.spiffeId && h.expiryMs === plan.identity.expiryMs;
    if (same && !force) {
      const bundle = this.issuer.registry.bundleFor(plan.identity.mesh, ca);
      if (bundle !== h.cert.bundlePem) {
        h.cert = { ...h.cert, bundlePem: bundle };
        this.sendIdentity(s, h.cert);
      }
      return;
    }
    const r = this.issuer.sign(plan, s.key);
    if (!r.ok) {
      this.drop(s);
      this.counters.refused++;
      this.sendError(s, r.message, false);
      if (r.keyType) s.ch.send({ certificateRequest: { keyType: r.keyType, reason: r.message } });
      return;
    }
    this.counters.issued++;
    s.held = { identityKey: plan.identity.key, caFingerprint: ca.fingerprint, spiffeId: plan.spiffeId, expiryMs: plan.identity.expiryMs, cert: r };
    s.lastError = undefined;
    this.sendIdentity(s, r);
    this.scheduler.schedule(s.ch.id, renewAt(r.issuedAt.getTime(), r.notAfter.getTime()));
    this.record(s, r);
  }

  /** Deselected or refused: no renewal, nothing held. */
  private drop(s: SessionState): void {
    s.held = undefined;
    this.scheduler.cancel(s.ch.id);
  }

  private sendIdentity(s: SessionState, c: IssuedCertificate): void {
    s.ch.send({ identity: { certPem: c.certPem, bundlePem: c.bundlePem, spiffeId: c.spiffeId, expirationTime: c.notAfter.toISOString() } });
  }

  private sendError(s: SessionState, message: string, always: boolean): void {
    if (!always && s.lastError === message) return;
    s.lastError = message;
    this.log.info({ dataplane: `${s.ch.namespace}/${s.ch.name}`, reason: message }, 'identity: no certificate issued');
    s.ch.send({ error: { message } });
  }

  private record(s: SessionState, c: IssuedCertificate): void {
    this.recorder.record(s.ch.namespace, s.ch.name, meshOf(s.dp), c);
  }
}
