import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './errors.js';
import {
  compileLabelSelector,
  fromLabelSelector,
  labelKeyErrors,
  labelValueErrors,
  parseLabelSelector,
  requirementsToString,
  selectorToString,
} from './label-selector.js';

const badRequestWith = (message: string) => (e: unknown) => {
  assert.ok(e instanceof ApiError, 'an ApiError');
  assert.equal(e.code, 400);
  assert.equal(e.reason, 'BadRequest');
  assert.equal(e.message, message);
  return true;
};

const nameRegexMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    assert.deepEqual(parseLabelSelector('a=b'), [{ key: 'a', operator: '=', values: ['b'] }]);
    assert.deepEqual(parseLabelSelector('a==b'), [{ key: 'a', operator: '==', values: ['b'] }]);
    assert.deepEqual(parseLabelSelector('a!=b'), [{ key: 'a', operator: '!=', values: ['b'] }]);
    assert.deepEqual(parseLabelSelector('a in (y,x)'), [{ key: 'a', operator: 'in', values: ['x', 'y'] }]);
    assert.deepEqual(parseLabelSelector('a notin (x)'), [{ key: 'a', operator: 'notin', values: ['x'] }]);
    assert.deepEqual(parseLabelSelector('a'), [{ key: 'a', operator: 'exists', values: [] }]);
    assert.deepEqual(parseLabelSelector('!a'), [{ key: 'a', operator: '!', values: [] }]);
    assert.deepEqual(parseLabelSelector('a>5'), [{ key: 'a', operator: 'gt', values: ['5'] }]);
    assert.deepEqual(parseLabelSelector('a<5'), [{ key: 'a', operator: 'lt', values: ['5'] }]);
  });

  it('joins requirements with commas, tolerates whitespace and sorts by key', () => {
    assert.deepEqual(parseLabelSelector(' tier in ( b , a ) ,\tapp = web ,\n!legacy '), [
      { key: 'app', operator: '=', values: ['web'] },
      { key: 'legacy', operator: '!', values: [] },
      { key: 'tier', operator: 'in', values: ['a', 'b'] },
    ]);
  });

  it('handles the empty-value forms of kube grammar', () => {
    assert.deepEqual(parseLabelSelector('x in (foo,,baz),y,z notin ()'), [
      { key: 'x', operator: 'in', values: ['', 'baz', 'foo'] },
      { key: 'y', operator: 'exists', values: [] },
      { key: 'z', operator: 'notin', values: [''] },
    ]);
    assert.deepEqual(parseLabelSelector('a='), [{ key: 'a', operator: '=', values: [''] }]);
    assert.deepEqual(parseLabelSelector('a=,b'), [
      { key: 'a', operator: '=', values: [''] },
      { key: 'b', operator: 'exists', values: [] },
    ]);
    assert.deepEqual(parseLabelSelector('a in (,x)')[0].values, ['', 'x']);
    assert.deepEqual(parseLabelSelector('a in (x,)')[0].values, ['', 'x']);
    assert.deepEqual(parseLabelSelector('a in (x,x)')[0].values, ['x']);
  });

  it('reads in/notin as plain words where a key or value is expected', () => {
    assert.deepEqual(parseLabelSelector('a in (in,notin)'), [{ key: 'a', operator: 'in', values: ['in', 'notin'] }]);
    assert.deepEqual(parseLabelSelector('a=in'), [{ key: 'a', operator: '=', values: ['in'] }]);
    assert.deepEqual(parseLabelSelector('in=x'), [{ key: 'in', operator: '=', values: ['x'] }]);
  });

  it('accepts prefixed keys', () => {
    assert.deepEqual(parseLabelSelector('app.kubernetes.io/name=web'), [{ key: 'app.kubernetes.io/name', operator: '=', values: ['web'] }]);
  });

  it('treats an empty or blank selector as no requirements', () => {
    assert.deepEqual(parseLabelSelector(''), []);
    assert.deepEqual(parseLabelSelector('  '), []);
  });

  it('rejects bad syntax with kube-apiserver messages', () => {
    const cases: [string, string][] = [
      ['a in', "unable to parse requirement: found '' expected: '('"],
      ['component not in (kube-apiserver)', "unable to parse requirement: found 'not', expected: in, notin, =, ==, !=, gt, lt"],
      ['a=b c=d', "found 'c', expected: ',' or 'end of string'"],
      ['a=b,', "found '', expected: identifier after ','"],
      ['a,,b', "found ',', expected: identifier after ','"],
      ['=b', "found '=', expected: !, identifier, or 'end of string'"],
      ['!', "unable to parse requirement: found '', expected: identifier"],
      ['!a=b', "found '=', expected: ',' or 'end of string'"],
      ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
      ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
      ['a in (,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
      ['a=(', "unable to parse requirement: found '(', expected: identifier"],
      ['a>b', `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`],
      ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": name part ${nameRegexMsg}`],
    ];
    for (const [sel, msg] of cases) assert.throws(() => parseLabelSelector(sel), badRequestWith(msg), sel);
  });

  it('validates values and key prefixes as kube does', () => {
    const long = 'x'.repeat(64);
    assert.throws(
      () => parseLabelSelector(`app=${long}`),
      badRequestWith(`unable to parse requirement: values[0][app]: Invalid value: "${long}": must be no more than 63 characters`),
    );
    assert.throws(() => parseLabelSelector('a in (ok,-bad-)'), (e: unknown) => {
      assert.match((e as Error).message, /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-bad-": a valid label must be an empty string/);
      return true;
    });
    assert.throws(() => parseLabelSelector('Example.com/a=b'), (e: unknown) => {
      assert.match((e as Error).message, /<nil>: Invalid value: "Example.com\/a": prefix part a lowercase RFC 1123 subdomain/);
      return true;
    });
  });
});

describe('compileLabelSelector', () => {
  const web = { app: 'web', tier: 'front' };
  const matches = (sel: string, labels: Record<string, string> | undefined) => compileLabelSelector(sel)(labels);

  it('matches equality and inequality', () => {
    assert.equal(matches('app=web', web), true);
    assert.equal(matches('app==web', web), true);
    assert.equal(matches('app=db', web), false);
    assert.equal(matches('app!=db', web), true);
    assert.equal(matches('app!=web', web), false);
    assert.equal(matches('missing!=x', web), true, '!= matches when the key is absent');
    assert.equal(matches('missing=x', web), false);
  });

  it('matches set membership', () => {
    assert.equal(matches('tier in (front,back)', web), true);
    assert.equal(matches('tier in (back)', web), false);
    assert.equal(matches('tier notin (back)', web), true);
    assert.equal(matches('tier notin (front,back)', web), false);
    assert.equal(matches('missing notin (x)', web), true);
    assert.equal(matches('missing in (x)', web), false);
    assert.equal(matches('a in (,x)', { a: '' }), true);
  });

  it('matches existence', () => {
    assert.equal(matches('app', web), true);
    assert.equal(matches('!app', web), false);
    assert.equal(matches('!missing', web), true);
    assert.equal(matches('missing', web), false);
  });

  it('compares integers for gt and lt', () => {
    assert.equal(matches('gen>5', { gen: '6' }), true);
    assert.equal(matches('gen>5', { gen: '5' }), false);
    assert.equal(matches('gen<5', { gen: '-7' }), true);
    assert.equal(matches('gen>5', { gen: 'x' }), false);
    assert.equal(matches('gen>5', {}), false);
  });

  it('requires every requirement', () => {
    assert.equal(matches('app=web,tier=front,!legacy', web), true);
    assert.equal(matches('app=web,tier=back', web), false);
  });

  it('copes with missing labels and inherited property names', () => {
    assert.equal(matches('', undefined), true);
    assert.equal(matches('app', undefined), false);
    assert.equal(matches('!app', undefined), true);
    assert.equal(matches('app!=web', undefined), true);
    assert.equal(matches('constructor', {}), false);
    assert.equal(matches('toString=x', {}), false);
  });
});

describe('fromLabelSelector', () => {
  it('treats a missing selector as nothing and an empty one as everything', () => {
    assert.equal(fromLabelSelector(undefined)({ a: 'b' }), false);
    assert.equal(fromLabelSelector(null)(undefined), false);
    assert.equal(fromLabelSelector({})({ a: 'b' }), true);
    assert.equal(fromLabelSelector({ matchLabels: {}, matchExpressions: [] })(undefined), true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const m = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(m({ app: 'web', tier: 'edge', team: 'a' }), true);
    assert.equal(m({ app: 'web', tier: 'edge', team: 'a', env: 'dev' }), false);
    assert.equal(m({ app: 'web', tier: 'edge' }), false);
    assert.equal(m({ app: 'web', tier: 'edge', team: 'a', legacy: 'y' }), false);
    assert.equal(m({ app: 'db', tier: 'edge', team: 'a' }), false);
  });

  it('rejects bad expressions with kube messages', () => {
    assert.throws(
      () => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      badRequestWith('"Gt" is not a valid label selector operator'),
    );
    assert.throws(
      () => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      badRequestWith("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"),
    );
    assert.throws(
      () => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
      badRequestWith(`values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`),
    );
    assert.throws(() => fromLabelSelector({ matchLabels: { 'a b': 'c' } }), (e: unknown) => {
      assert.match((e as Error).message, /^key: Invalid value: "a b": name part must consist/);
      return true;
    });
  });
});

describe('selectorToString', () => {
  it('renders as kube does for scale status.selector', () => {
    assert.equal(
      selectorToString({ matchLabels: { app: 'web-app' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }),
      'app=web-app,tier in (a,b)',
    );
    assert.equal(selectorToString({ matchLabels: { z: '1', a: '2', m: '3' } }), 'a=2,m=3,z=1');
    assert.equal(
      selectorToString({
        matchExpressions: [
          { key: 'x', operator: 'DoesNotExist' },
          { key: 'b', operator: 'Exists' },
          { key: 'c', operator: 'NotIn', values: ['v'] },
        ],
      }),
      'b,c notin (v),!x',
    );
  });

  it('renders nothing for a missing or empty selector', () => {
    assert.equal(selectorToString(undefined), '');
    assert.equal(selectorToString({}), '');
  });

  it('round-trips through the parser', () => {
    const sel = {
      matchLabels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    const text = selectorToString(sel);
    assert.equal(requirementsToString(parseLabelSelector(text)), text);
    const samples: Record<string, string>[] = [
      { app: 'web', 'app.kubernetes.io/part-of': 'shop', tier: 'edge' },
      { app: 'web', 'app.kubernetes.io/part-of': 'shop', tier: 'edge', legacy: '1' },
      { app: 'web', tier: 'front' },
    ];
    for (const s of samples) assert.equal(compileLabelSelector(text)(s), fromLabelSelector(sel)(s));
  });
});

describe('label key and value validation', () => {
  it('accepts kube-valid keys and values', () => {
    assert.deepEqual(labelKeyErrors('app'), []);
    assert.deepEqual(labelKeyErrors('example.com/My_Name-1.x'), []);
    assert.deepEqual(labelKeyErrors('a'.repeat(63)), []);
    assert.deepEqual(labelValueErrors(''), []);
    assert.deepEqual(labelValueErrors('v'.repeat(63)), []);
  });

  it('rejects invalid keys and values', () => {
    assert.deepEqual(labelKeyErrors('a'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.deepEqual(labelKeyErrors('/a'), ['prefix part must be non-empty']);
    assert.equal(labelKeyErrors('a/b/c').length, 1);
    assert.match(labelKeyErrors('a/b/c')[0], /^a qualified name must consist .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/);
    assert.equal(labelKeyErrors('').length, 2, 'empty name fails both the length and the pattern check');
    assert.deepEqual(labelValueErrors('v'.repeat(64)), ['must be no more than 63 characters']);
    assert.equal(labelValueErrors('-x').length, 1);
  });
});
