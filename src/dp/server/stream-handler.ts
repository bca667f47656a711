// The seam for features that ride on DP streams (identity issuance first):
// a handler can refuse a dataplane before its stream is accepted, sees each
// accepted session, every message after hello, and the session's end, and
// can push messages to the proxy at any time.

import type { KObject } from '../../api/object.js';
import type { ControlPlaneMessage, ProxyMessage } from '../protocol/messages.js';
import type { DpCredential } from './authenticator.js';

export interface DpSession {
  /** The subscription id recorded in the DataplaneInsight. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly credential: DpCredential;
  /** The Dataplane as it stood when the stream was accepted (read-only). */
  readonly dataplane: KObject;
  /** Queues a message to the proxy; dropped once the stream has ended. */
  send(msg: ControlPlaneMessage): void;
  /** Aborted when the stream ends. */
  readonly signal: AbortSignal;
}

export interface DpStreamHandler {
  /**
   * Before a stream is accepted: after the credential was checked against
   * the Dataplane, before a Dataplane sent in hello is stored, the
   * subscription recorded and the ack sent. A throw refuses the stream with
   * the error's message (a DpError keeps its code; INVALID_ARGUMENT and
   * PERMISSION_DENIED make `dp run` give up instead of retrying).
   */
  authorize?(dataplane: KObject, credential: DpCredential): void | Promise<void>;
  /** After hello is accepted and the subscription recorded. */
  onConnect?(session: DpSession): void | Promise<void>;
  /**
   * Each message after hello, in order, after the core has handled it.
   * Return true when the message was this handler's to answer (a `csr`
   * nobody claims gets an error message back).
   */
  onMessage?(session: DpSession, msg: ProxyMessage): boolean | void | Promise<boolean | void>;
  /** After the stream ended and its disconnect was recorded. */
  onDisconnect?(session: DpSession): void | Promise<void>;
}
