import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './errors.js';
import { goQuote, goUnescape, parseInt64, parseQuery, queryBool, queryInt64 } from './query-values.js';

describe('query values as Go and kube read them', () => {
  it('splits queries as url.ParseQuery: bad escapes and semicolons drop the pair, + is a space', () => {
    const q = parseQuery('a=1&b=%ZZ&c=x;y&d=hello+world&e=%2Fx&f&=g&a=2');
    assert.deepEqual([...q.entries()], [
      ['a', '1'],
      ['d', 'hello world'],
      ['e', '/x'],
      ['f', ''],
      ['', 'g'],
      ['a', '2'],
    ]);
    assert.equal(q.get('a'), '1');
  });

  it('unescapes paths strictly, keeping +', () => {
    assert.equal(goUnescape('/a%2Fb+c', 'path'), '/a/b+c');
    assert.equal(goUnescape('/%ZZ', 'path'), undefined);
    assert.equal(goUnescape('/%4', 'path'), undefined);
    assert.equal(goUnescape('%C3%A9', 'query'), 'é');
  });

  it('reads booleans as apimachinery does: only false and 0 (any case) are false', () => {
    const q = parseQuery('a=false&b=FALSE&c=0&d=true&e=1&f=t&g=&h=yes&i=False');
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'absent'].map((k) => queryBool(q, k)), [false, false, false, true, true, true, true, true, false, undefined]);
    // Every spelling strconv.ParseBool accepts means what it means there, except f/F, which kube reads as true.
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(queryBool(parseQuery(`w=${t}`), 'w'), true, t);
    for (const f of ['0', 'FALSE', 'false', 'False']) assert.equal(queryBool(parseQuery(`w=${f}`), 'w'), false, f);
  });

  it('parses int64 as strconv.ParseInt, with its messages', () => {
    assert.equal(parseInt64('42'), 42n);
    assert.equal(parseInt64('-9223372036854775808'), -(2n ** 63n));
    assert.equal(parseInt64('+007'), 7n);
    assert.throws(() => parseInt64('abc'), { message: 'strconv.ParseInt: parsing "abc": invalid syntax' });
    assert.throws(() => parseInt64('1e20'), { message: 'strconv.ParseInt: parsing "1e20": invalid syntax' });
    assert.throws(() => parseInt64(''), { message: 'strconv.ParseInt: parsing "": invalid syntax' });
    assert.throws(() => parseInt64(' 1'), { message: 'strconv.ParseInt: parsing " 1": invalid syntax' });
    assert.throws(() => parseInt64('1_000'), { message: 'strconv.ParseInt: parsing "1_000": invalid syntax' });
    assert.throws(() => parseInt64('9223372036854775808'), { message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' });
    assert.throws(
      () => queryInt64(parseQuery('limit=x'), 'limit'),
      (e: ApiError) => e.code === 400 && e.reason === 'BadRequest' && e.message === 'strconv.ParseInt: parsing "x": invalid syntax',
    );
  });

  it('quotes as strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('\x00\x7f\n\t'), '"\\x00\\x7f\\n\\t"');
    assert.equal(goQuote('é\u2028'), '"é\\u2028"');
  });
});
