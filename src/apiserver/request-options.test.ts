import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { parseQuery } from '../api/query-values.js';
import {
  checkResourceVersion,
  deleteOptionsFromBody,
  deleteOptionsFromQuery,
  listOptionsOf,
  validateDeleteOptions,
  validateTableOptions,
  validateWriteOptions,
  watchTimeoutMs,
} from './request-options.js';

const fails = (fn: () => unknown, code: number, message: string) =>
  assert.throws(fn, (e: ApiError) => {
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });

describe('request options as kube decodes and validates them', () => {
  it('list options: integers as strconv reads them, kube validation as 422 ListOptions', () => {
    assert.equal(listOptionsOf(parseQuery('limit=500')).limit, 500);
    fails(() => listOptionsOf(parseQuery('limit=abc')), 400, 'strconv.ParseInt: parsing "abc": invalid syntax');
    fails(() => listOptionsOf(parseQuery('timeoutSeconds=1e20'), true), 400, 'strconv.ParseInt: parsing "1e20": invalid syntax');
    fails(
      () => listOptionsOf(parseQuery('resourceVersionMatch=Bogus&resourceVersion=1')),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""',
    );
    fails(() => listOptionsOf(parseQuery('sendInitialEvents=true')), 422, 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
    fails(
      () => listOptionsOf(parseQuery('sendInitialEvents=true'), true),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const w = listOptionsOf(parseQuery('sendInitialEvents=1&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=True'), true);
    assert.equal(w.sendInitialEvents, true);
    assert.equal(w.allowBookmarks, true);
  });

  it('resourceVersion must parse as kube parses it', () => {
    checkResourceVersion('', 'pods');
    checkResourceVersion('0', 'pods');
    checkResourceVersion('123', 'pods');
    fails(() => checkResourceVersion('abc', 'pods'), 422, 'pods "" is invalid: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
    fails(() => checkResourceVersion('-1', 'pods'), 422, 'pods "" is invalid: resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax');
  });

  it('watch timeouts: seconds in Go nanoseconds; 0 none; negative ends at once; huge wraps or means none', () => {
    assert.equal(watchTimeoutMs(undefined), undefined);
    assert.equal(watchTimeoutMs(0n), undefined);
    assert.equal(watchTimeoutMs(5n), 5000);
    assert.equal(watchTimeoutMs(-1n), 0);
    assert.equal(watchTimeoutMs(10n ** 9n), undefined); // ~31 years: longer than any timer, so no timeout
    // 2^63-1 seconds in nanoseconds wraps in Go's int64 to a negative duration: the watch ends at once.
    assert.equal(watchTimeoutMs(2n ** 63n - 1n), 0);
  });

  it("a watch that chooses no timeout gets kube's --min-request-timeout: between it and twice it", () => {
    assert.equal(watchTimeoutMs(undefined, 1800, () => 0), 1_800_000);
    assert.equal(watchTimeoutMs(0n, 1800, () => 0.5), 2_700_000);
    assert.equal(watchTimeoutMs(undefined, 1800, () => 0.999), 3_598_200);
    // An explicit timeout wins, and 0 switches the default off.
    assert.equal(watchTimeoutMs(5n, 1800, () => 0.5), 5000);
    assert.equal(watchTimeoutMs(undefined, 0, () => 0.5), undefined);
  });

  it('write options: dryRun, fieldValidation, fieldManager and force as ValidateXOptions', () => {
    validateWriteOptions(parseQuery('dryRun=All&fieldValidation=Strict&fieldManager=kubectl'), 'create');
    fails(() => validateWriteOptions(parseQuery('dryRun=Maybe'), 'create'), 422, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Maybe"}: supported values: "All"');
    fails(
      () => validateWriteOptions(parseQuery('fieldValidation=strict'), 'update'),
      422,
      'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
    fails(() => validateWriteOptions(parseQuery('force=true'), 'patch', 'application/merge-patch+json'), 422, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    validateWriteOptions(parseQuery('force=true&fieldManager=m'), 'patch', 'application/apply-patch+yaml');
    fails(() => validateWriteOptions(parseQuery(`fieldManager=${'m'.repeat(129)}`), 'create'), 422, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
    fails(() => validateWriteOptions(parseQuery('fieldManager=a%01'), 'create'), 422, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x01": invalid character U+0001 (at position 1)');
  });

  it('table options', () => {
    validateTableOptions(parseQuery('includeObject=Object'));
    fails(() => validateTableOptions(parseQuery('includeObject=All')), 422, `TableOptions.meta.k8s.io "" is invalid: includeObject: Invalid value: "All": must be 'Metadata', 'Object', 'None', or empty`);
  });

  it('delete options from the body or the query, validated as ValidateDeleteOptions', () => {
    assert.deepEqual(deleteOptionsFromQuery(parseQuery('gracePeriodSeconds=-1&propagationPolicy=Orphan')), {
      gracePeriodSeconds: -1,
      propagationPolicy: 'Orphan',
      orphanDependents: undefined,
      dryRun: [],
    });
    fails(() => deleteOptionsFromQuery(parseQuery('gracePeriodSeconds=1.5')), 400, 'strconv.ParseInt: parsing "1.5": invalid syntax');
    fails(() => deleteOptionsFromBody({ gracePeriodSeconds: 1.5 }), 400, 'json: cannot unmarshal number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    fails(() => deleteOptionsFromBody({ gracePeriodSeconds: 1e300 }), 400, 'json: cannot unmarshal number 1e+300 into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    fails(() => deleteOptionsFromBody({ propagationPolicy: 3 }), 400, 'json: cannot unmarshal number 3 into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation');
    fails(
      () => validateDeleteOptions({ propagationPolicy: 'Sideways', dryRun: [] }),
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
    fails(
      () => validateDeleteOptions({ propagationPolicy: 'Orphan', orphanDependents: true, dryRun: [] }),
      422,
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    );
  });
});
