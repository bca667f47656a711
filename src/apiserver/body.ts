// Reads and decodes request bodies: size-limited (3 MiB as kube-apiserver),
// JSON, YAML or Kubernetes protobuf, with duplicate-field detection for
// fieldValidation=Strict.

import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../api/errors.js';
import { findDuplicateKeys } from '../api/json-strict.js';
import { decodeKubeProtobuf } from './protobuf.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export const mediaType = (req: IncomingMessage): string => (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();

export interface Decoded {
  value: unknown;
  duplicates?: string[];
}

/** Decodes a body by its content type; `strict` also reports duplicate fields. */
export function decodeBody(buf: Buffer, type: string, strict: boolean): Decoded {
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  switch (type) {
    case 'application/json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json':
    case '':
      return decodeJson(buf.toString('utf8'), strict);
    case 'application/apply-patch+yaml':
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return decodeYaml(buf.toString('utf8'), strict);
    case 'application/vnd.kubernetes.protobuf':
      return { value: decodeKubeProtobuf(buf) };
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
}

function decodeJson(text: string, strict: boolean): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized or malformed: ${(e as Error).message}`);
  }
  return strict ? { value, duplicates: findDuplicateKeys(text) } : { value };
}

function decodeYaml(text: string, strict: boolean): Decoded {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return decodeJson(text, strict);
    } catch {
      /* fall through to YAML, which accepts more */
    }
  }
  try {
    return { value: parseYaml(text, { uniqueKeys: strict }) };
  } catch (e) {
    throw badRequest(`the object provided is unrecognized or malformed: error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}
