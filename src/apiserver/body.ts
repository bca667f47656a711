// Reads and decodes request bodies: size-limited (3 MiB as kube-apiserver),
// JSON, YAML or Kubernetes protobuf, with duplicate-field detection for
// fieldValidation=Strict. Every decoded value is checked for `__proto__` keys
// and excessive nesting before any other code sees it (untrusted-json.ts).

import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, tooLarge, unsupportedMediaType } from '../api/errors.js';
import { findDuplicateKeys } from '../api/json-strict.js';
import { checkUntrusted, depthExceededMessage } from '../api/untrusted-json.js';
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
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        req.resume();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    // The client went away (or timed out) mid-body: its fault, not the server's, and nobody is left to read the answer.
    throw badRequest(`the request body could not be read: ${(e as Error).message}`);
  }
  return Buffer.concat(chunks);
}

export const mediaType = (req: IncomingMessage): string => (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();

export interface Decoded {
  value: unknown;
  duplicates?: string[];
}

const MALFORMED = 'the object provided is unrecognized or malformed: ';

/** Decodes a body by its content type; `strict` also reports duplicate fields. */
export function decodeBody(buf: Buffer, type: string, strict: boolean): Decoded {
  if (buf.length === 0) throw badRequest('the body of the request was empty');
  let decoded: Decoded;
  switch (type) {
    case 'application/json':
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json':
    case '':
      decoded = decodeJson(buf.toString('utf8'), strict);
      break;
    case 'application/apply-patch+yaml':
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      decoded = decodeYaml(buf.toString('utf8'), strict);
      break;
    case 'application/vnd.kubernetes.protobuf':
      decoded = { value: decodeKubeProtobuf(buf) };
      break;
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  checkUntrusted(decoded.value, MALFORMED);
  return decoded;
}

function decodeJson(text: string, strict: boolean): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`${MALFORMED}${(e as Error).message}`);
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
    // JSON's data model only: no YAML 1.1 tags (!!binary, !!set, !!timestamp...) becoming Buffers, Sets or Dates; warnings stay quiet.
    return { value: parseYaml(text, { uniqueKeys: strict, resolveKnownTags: false, logLevel: 'error', maxAliasCount: 100 }) };
  } catch (e) {
    const message = (e as Error).message;
    // The parser recurses per nesting level; running out of stack means nesting far beyond the limit.
    if (e instanceof RangeError || message.includes('Maximum call stack size exceeded')) {
      throw badRequest(`${MALFORMED}error converting YAML to JSON: yaml: ${depthExceededMessage()}`);
    }
    throw badRequest(`${MALFORMED}error converting YAML to JSON: ${message.split('\n')[0]}`);
  }
}

