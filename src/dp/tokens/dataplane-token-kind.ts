// DataplaneToken (kuma.io/v1alpha1, virtual, create-only): how an admin asks
// the control plane for a dataplane token (`workplane token dataplane`). Never
// stored; the answer's status carries the token. The namespace in the URL
// becomes the token's namespace claim, so a token reaches one namespace only.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../../api/definition.js';
import { formatGoDuration, parseGoDuration } from '../../api/duration.js';
import { badRequest, fieldError, invalid, type FieldError } from '../../api/errors.js';
import { isPlainObject } from '../../api/object.js';
import { DEFAULT_MESH } from '../../api/kuma/labels.js';
import { opt, str } from '../../api/schemas/index.js';
import { isDNS1035Label } from '../../api/validation/names.js';
import { decodeBody, mediaType } from '../../apiserver/body.js';
import type { HandlerContext } from '../../apiserver/request-context.js';
import type { CustomHandlers } from '../../apiserver/resource-handler.js';
import { JSON_TYPE, writeJson } from '../../apiserver/response.js';
import type { JwtSigner } from '../../security/index.js';
import { DEFAULT_MAX_TOKEN_VALIDITY_SECONDS, DEFAULT_TOKEN_VALIDITY_SECONDS, issueDataplaneToken } from './dataplane-token.js';

const KIND = 'DataplaneToken';
const GROUP = 'kuma.io';
const PLURAL = 'dataplanetokens';

export const dataplaneTokenDefinition: ResourceDefinition = defineResource({
  group: GROUP,
  version: 'v1alpha1',
  kind: KIND,
  plural: PLURAL,
  singular: 'dataplanetoken',
  namespaced: true,
  virtual: true,
  description: 'DataplaneToken asks for a token that lets `workplane dp run` register Dataplanes of one mesh and workload in this namespace. Never stored.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            mesh: opt(str('Mesh the Dataplanes belong to (label kuma.io/mesh); default `default`.')),
            workload: opt(str('Workload the Dataplanes must name in label kuma.io/workload. Required.')),
            validFor: opt(str('Lifetime of the token as a duration (`24h`, `30m`); default 24h.')),
          },
          { description: 'What the token allows.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            token: opt(str('The signed token.')),
            expirationTimestamp: opt(str('When the token expires (RFC 3339).')),
          },
          { description: 'The issued token.' },
        ),
      ),
    },
    { description: 'A dataplane token request.' },
  ),
});

interface TokenSpec {
  mesh: string;
  workload: string;
  validForSeconds: number;
}

function parseSpec(body: Record<string, unknown>, maxSeconds: number): TokenSpec {
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const errs: FieldError[] = [];
  const mesh = spec.mesh === undefined || spec.mesh === '' ? DEFAULT_MESH : spec.mesh;
  if (typeof mesh !== 'string') errs.push(fieldError.invalid('spec.mesh', mesh, 'must be a string'));
  const workload = spec.workload;
  if (workload === undefined || workload === '') errs.push(fieldError.required('spec.workload'));
  else if (typeof workload !== 'string') errs.push(fieldError.invalid('spec.workload', workload, 'must be a string'));
  else for (const d of isDNS1035Label(workload)) errs.push(fieldError.invalid('spec.workload', workload, d));
  let validForSeconds = Math.min(DEFAULT_TOKEN_VALIDITY_SECONDS, maxSeconds);
  if (spec.validFor !== undefined && spec.validFor !== '') {
    try {
      validForSeconds = Math.floor(parseGoDuration(String(spec.validFor)) / 1000);
      if (validForSeconds < 1) errs.push(fieldError.invalid('spec.validFor', spec.validFor, 'must be at least 1s'));
      else if (validForSeconds > maxSeconds) {
        errs.push(fieldError.invalid('spec.validFor', spec.validFor, `must be at most ${formatGoDuration(maxSeconds * 1000)}, the longest validity this control plane grants (dpServer.authn.dpProxy.dpToken.maxValidityDuration)`));
      }
    } catch (e) {
      errs.push(fieldError.invalid('spec.validFor', spec.validFor, (e as Error).message));
    }
  }
  if (errs.length > 0) throw invalid(KIND, GROUP, '', errs);
  return { mesh: mesh as string, workload: workload as string, validForSeconds };
}

/**
 * Serves POST /apis/kuma.io/v1alpha1/namespaces/{ns}/dataplanetokens with tokens from `signer`;
 * a validity longer than `maxValiditySeconds` is refused.
 */
export function registerDataplaneTokenHandler(custom: CustomHandlers, signer: JwtSigner, maxValiditySeconds = DEFAULT_MAX_TOKEN_VALIDITY_SECONDS): void {
  custom.register(`${GROUP}/${PLURAL}`, async (ctx: HandlerContext) => {
    // Who may mint proxy credentials is RBAC's call (`create dataplanetokens`; the admin role has it).
    const namespace = ctx.info.namespace!;
    const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
    if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
    const spec = parseSpec(value, maxValiditySeconds);
    const issued = await issueDataplaneToken(signer, { mesh: spec.mesh, workload: spec.workload, namespace }, spec.validForSeconds);
    const meta = isPlainObject(value.metadata) ? value.metadata : {};
    writeJson(
      ctx.res,
      201,
      {
        kind: KIND,
        apiVersion: `${GROUP}/v1alpha1`,
        metadata: { ...(typeof meta.name === 'string' ? { name: meta.name } : {}), namespace, creationTimestamp: null },
        spec: { mesh: spec.mesh, workload: spec.workload, validFor: `${spec.validForSeconds}s` },
        status: issued,
      },
      JSON_TYPE,
    );
  });
}
