// Wires authorization into `workplane serve`: the RBAC index fed by
// in-process informers (on every replica, controllers or not), the
// authorizer chain chosen by --authorization-mode, escalation prevention
// for RBAC writes, and the bootstrap policy reconciled at start.

import type { Logger } from 'pino';
import { InProcessClient } from '../client/in-process-client.js';
import { createAuthorizer, type AuthorizationMode, type ChainAuthorizer } from '../authz/create-authorizer.js';
import { RbacIndex } from '../authz/rbac/rbac-index.js';
import { RbacAuthorizer } from '../authz/rbac/rbac-authorizer.js';
import { feedRbacIndex } from '../authz/rbac/rbac-informers.js';
import { escalationAdmission } from '../authz/rbac/escalation.js';
import { ensureBootstrapPolicy } from '../authz/bootstrap/reconcile.js';
import type { Authorizer } from '../authz/types.js';
import type { AdmissionChain } from '../registry/admission.js';
import type { Registry } from '../registry/registry.js';

export interface AuthorizationDeps {
  registry: Registry;
  admission: AdmissionChain;
  mode: AuthorizationMode;
  signal: AbortSignal;
  logger: Logger;
  /** Authorizers asked after system:masters and before RBAC (the Node authorizer). */
  before?: Authorizer[];
}

export interface Authorization {
  authorizer: ChainAuthorizer;
  index: RbacIndex;
  /** Creates or reconciles the default roles and bindings. */
  bootstrap(): Promise<void>;
  /** Resolves once the index holds every role and binding. */
  synced(): Promise<boolean>;
  done: Promise<void>;
}

export function startAuthorization(deps: AuthorizationDeps): Authorization {
  const index = new RbacIndex();
  const authorizer = createAuthorizer({ mode: deps.mode, rbac: new RbacAuthorizer(index), before: deps.before });
  deps.admission.register(escalationAdmission({ authorizer, index }));
  const client = new InProcessClient(deps.registry, { fieldManager: 'workplane-rbac', log: deps.logger });
  const feed = feedRbacIndex(client, index, deps.signal, deps.logger);
  return {
    authorizer,
    index,
    bootstrap: () => ensureBootstrapPolicy(client),
    synced: () => feed.waitForSync(deps.signal),
    done: feed.done,
  };
}
