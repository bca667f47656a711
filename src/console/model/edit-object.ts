// Objects as YAML to edit, and the edited text back to a request. Replace
// (PUT) sends the object as edited, resourceVersion included, so a change
// made by someone else meanwhile is refused with a Conflict instead of being
// overwritten. Server-side apply sends only what the user declares: fields the
// server owns (uid, resourceVersion, status...) are left out.

import { parse, stringify } from 'yaml';
import type { KObject } from '../../api/object.js';
import { objectPath, type ApiResources, type ResourceType } from './discovery.js';

/**
 * The object as YAML for the editor, keys sorted as `kubectl get -o yaml`
 * prints them (so spec comes before status whatever order the server
 * stored); managedFields are bookkeeping nobody edits by hand (kubectl hides
 * them too).
 */
export function toEditableYaml(obj: KObject): string {
  const copy = structuredClone(obj);
  delete copy.metadata.managedFields;
  return stringify(copy, { lineWidth: 0, sortMapEntries: true });
}

export class EditError extends Error {}

/** Parses the editor's text into one object with apiVersion, kind and metadata.name. */
export function parseEdited(text: string): KObject {
  let v: unknown;
  try {
    v = parse(text, { uniqueKeys: true });
  } catch (e) {
    throw new EditError(`YAML: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new EditError('the document must be a single YAML mapping (one object)');
  const o = v as Partial<KObject>;
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) throw new EditError('apiVersion is required');
  if (typeof o.kind !== 'string' || !o.kind) throw new EditError('kind is required');
  if (typeof o.metadata !== 'object' || o.metadata === null || typeof o.metadata.name !== 'string' || !o.metadata.name) throw new EditError('metadata.name is required');
  return o as KObject;
}

/** The URL of the object a document describes, from discovery. */
export function targetOf(obj: KObject, resources: ApiResources, defaultNamespace?: string): { type: ResourceType; path: string } {
  const type = resources.forKind(obj.apiVersion ?? '', obj.kind ?? '');
  if (!type) throw new EditError(`the server does not serve ${obj.kind} in ${obj.apiVersion}`);
  const ns = type.namespaced ? (obj.metadata.namespace ?? defaultNamespace) : undefined;
  if (type.namespaced && !ns) throw new EditError(`${obj.kind} is namespaced: set metadata.namespace`);
  return { type, path: objectPath(type, ns, obj.metadata.name!) };
}

const SERVER_OWNED_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'];

/** The declaration a server-side apply sends: the object without status and server-owned metadata, as YAML. */
export function applyDocument(obj: KObject): string {
  const copy = structuredClone(obj);
  delete copy.status;
  for (const k of SERVER_OWNED_METADATA) delete copy.metadata[k];
  return stringify(copy, { lineWidth: 0 });
}
