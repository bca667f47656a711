// The status conditions of a MeshIdentity, with Kuma's types, reasons and
// messages (users' tooling waits on them): Provider, MeshTrustCreated and
// Ready; an identity without a provider reports SpiffeIDProvider and a
// partially ready Ready.

import type { Condition } from '../controllers/compute/conditions.js';

export type WantedCondition = Omit<Condition, 'lastTransitionTime'>;

export const CONDITION_TYPES = ['Provider', 'MeshTrustCreated', 'SpiffeIDProvider', 'Ready'] as const;

export const providerInitialized = (): WantedCondition => ({ type: 'Provider', status: 'True', reason: 'ProviderInitialized', message: 'Provider successfully initialized' });

export const providerFailed = (reason: string, message: string): WantedCondition => ({ type: 'Provider', status: 'False', reason, message });

export const providerNotFound = (type: string): WantedCondition => providerFailed('ProviderNotFoundError', `provider: ${type} not found`);

export const meshTrustCreated = (): WantedCondition => ({ type: 'MeshTrustCreated', status: 'True', reason: 'MeshTrustCreated', message: 'MeshTrust has been successfully created' });

export const meshTrustFailed = (message: string): WantedCondition => ({ type: 'MeshTrustCreated', status: 'False', reason: 'MeshTrustCreationError', message });

/** No provider: Kuma's "SPIFFE ID only" mode (its MADR on SpiffeID migration), word for word. */
export const spiffeIdOnly = (): WantedCondition[] => [
  { type: 'SpiffeIDProvider', status: 'True', reason: 'SpiffeIDProvided', message: 'Providing only SpiffeIDs for services.' },
  { type: 'Ready', status: 'False', reason: 'PartiallyReady', message: 'Running in SpiffeID providing only mode.' },
];

/** Ready from the initialization steps: True only when none failed. */
export function readyFrom(steps: WantedCondition[]): WantedCondition {
  return steps.every((c) => c.status === 'True')
    ? { type: 'Ready', status: 'True', reason: 'Ready', message: 'Successfully initialized' }
    : { type: 'Ready', status: 'False', reason: 'Failure', message: 'One of initialization steps failed' };
}

/** Whether `old` already says what `wanted` says (times aside), so no write is needed. */
export function sameConditions(old: Condition[], wanted: WantedCondition[]): boolean {
  const mine = old.filter((c) => (CONDITION_TYPES as readonly string[]).includes(c.type));
  if (mine.length !== wanted.length) return false;
  return wanted.every((w, i) => mine[i]!.type === w.type && mine[i]!.status === w.status && mine[i]!.reason === w.reason && mine[i]!.message === w.message);
}
