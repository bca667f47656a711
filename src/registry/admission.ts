// The admission chain: plugins that may mutate (admit) and then veto (validate)
// a write after the kind's own strategy has prepared it. Errors they throw are
// ApiErrors and reach the client as they are.

import type { OperationContext, ResourceDefinition } from '../api/definition.js';
import type { KObject } from '../api/object.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: Operation;
  def: ResourceDefinition;
  namespace?: string;
  name: string;
  /** The object being written (undefined for DELETE). Mutating plugins may change it. */
  obj?: KObject;
  old?: KObject;
  ctx: OperationContext;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Cheap filter; plugins are skipped for kinds they do not handle. */
  handles(def: ResourceDefinition, op: Operation): boolean;
  admit?(a: AdmissionAttributes): void | Promise<void>;
  validate?(a: AdmissionAttributes): void | Promise<void>;
}

export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  register(p: AdmissionPlugin): this {
    this.plugins.push(p);
    return this;
  }

  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit && p.handles(a.def, a.operation)) await p.admit(a);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate && p.handles(a.def, a.operation)) await p.validate(a);
  }
}
