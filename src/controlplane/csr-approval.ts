// PUT certificatesigningrequests/{name}/approval (`kubectl certificate
// approve|deny`): only status.conditions change, and a verdict once given
// stays. Kept out of the status subresource so that the right to approve can
// be granted apart from the right to issue.

import { badRequest, fieldError, invalid, methodNotAllowed } from '../api/errors.js';
import { isPlainObject, nowIso } from '../api/object.js';
import { decodeBody, mediaType } from '../apiserver/body.js';
import { respondObject } from '../apiserver/handlers/read.js';
import { writeOptions } from '../apiserver/request-context.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { statusOf, type CsrCondition } from '../api/certificates/index.js';

const VERDICTS = ['Approved', 'Denied'];

export function registerCsrApprovalHandler(custom: CustomHandlers): void {
  custom.register('certificates.k8s.io/certificatesigningrequests/approval', async (ctx) => {
    const name = ctx.info.name!;
    if (ctx.req.method === 'GET') return respondObject(ctx, await ctx.store.get(undefined, name));
    if (ctx.req.method !== 'PUT') throw methodNotAllowed('the server does not allow this method on the requested resource');
    const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
    if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
    const status = isPlainObject(value.status) ? value.status : {};
    const wanted = (Array.isArray(status.conditions) ? status.conditions : []) as CsrCondition[];
    const rv = isPlainObject(value.metadata) ? value.metadata.resourceVersion : undefined;
    const r = await ctx.store.update(
      undefined,
      name,
      (cur) => {
        const next = cur!;
        const had = statusOf(next).conditions ?? [];
        const errs = [];
        const types = new Set(wanted.map((c) => c.type));
        if (types.has('Approved') && types.has('Denied')) errs.push(fieldError.invalid('status.conditions', 'Approved', 'Approved and Denied conditions are mutually exclusive'));
        for (const c of had) {
          if (VERDICTS.includes(c.type) && !wanted.some((w) => w.type === c.type && w.status === c.status)) {
            errs.push(fieldError.forbidden('status.conditions', `updates may not remove a condition of type "${c.type}"`));
          }
        }
        for (const [i, c] of wanted.entries()) {
          if (typeof c?.type !== 'string' || !c.type) errs.push(fieldError.required(`status.conditions[${i}].type`));
          if (!['True', 'False', 'Unknown'].includes(c?.status)) errs.push(fieldError.notSupported(`status.conditions[${i}].status`, c?.status, ['False', 'True', 'Unknown']));
        }
        if (errs.length) throw invalid('CertificateSigningRequest', 'certificates.k8s.io', name, errs);
        const now = nowIso();
        const conditions = wanted.map((c) => ({ ...c, lastUpdateTime: c.lastUpdateTime ?? now, lastTransitionTime: c.lastTransitionTime ?? now }));
        next.status = { ...statusOf(next), conditions };
        if (typeof rv === 'string' && rv) next.metadata.resourceVersion = rv;
        return next;
      },
      writeOptions(ctx, 'approval'),
    );
    respondObject(ctx, r.obj);
  });
}
