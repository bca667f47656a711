import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, formatMilli, formatQuantity, parseMilli, parseQuantity, parseQuantityExact } from './quantity.js';

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const suffixWrong = "unable to parse quantity's suffix";

describe('parseQuantity', () => {
  it('reads decimal, binary and exponent forms in base units', () => {
    const cases: [string, number][] = [
      ['100m', 0.1],
      ['0.5', 0.5],
      ['2', 2],
      ['128Mi', 134217728],
      ['1Gi', 1073741824],
      ['1.5Gi', 1610612736],
      ['1Ki', 1024],
      ['1G', 1e9],
      ['1e3', 1000],
      ['1E3', 1000],
      ['1e-3', 0.001],
      ['500k', 500000],
      ['1E', 1e18],
      ['250u', 0.00025],
      ['7n', 7e-9],
      ['.5', 0.5],
      ['1.', 1],
      ['+2', 2],
      ['-1.5', -1.5],
      ['0', 0],
      ['000', 0],
    ];
    for (const [text, want] of cases) assert.equal(parseQuantity(text), want, text);
  });

  it('rounds precision finer than a nano-unit up', () => {
    assert.equal(parseQuantity('0.1n'), 1e-9);
    assert.equal(parseQuantity('1.0000000001'), 1.000000001);
    assert.equal(parseQuantity('-0.1n'), -1e-9);
  });

  it('rejects malformed text with kube messages', () => {
    for (const text of ['', 'abc', '1X', '1.2.3', '--1', ' 1', '1 ', '.', '-', 'Mi', '1Mi5x', '1e999999999']) {
      assert.throws(() => parseQuantity(text), { message: formatWrong }, JSON.stringify(text));
    }
    for (const text of ['1KK', '1e', '1m-3', '1iM', '1Ki5']) {
      assert.throws(() => parseQuantity(text), { message: suffixWrong }, text);
    }
  });
});

describe('parseMilli', () => {
  it('gives exact integer thousandths', () => {
    assert.equal(parseMilli('100m'), 100);
    assert.equal(parseMilli('0.3'), 300, 'no floating point drift');
    assert.equal(parseMilli('1'), 1000);
    assert.equal(parseMilli('1.5'), 1500);
    assert.equal(parseMilli('2k'), 2000000);
    assert.equal(parseMilli('1Ki'), 1024000);
    assert.equal(parseMilli('0'), 0);
  });

  it('rounds sub-milli values up, as MilliValue does', () => {
    assert.equal(parseMilli('1n'), 1);
    assert.equal(parseMilli('1500u'), 2);
    assert.equal(parseMilli('-1500u'), -2);
  });
});

describe('canonicalQuantity', () => {
  it('renders kube canonical forms', () => {
    const cases: [string, string][] = [
      ['1.5Gi', '1536Mi'],
      ['0.5Gi', '512Mi'],
      ['1024Ki', '1Mi'],
      ['1536Ki', '1536Ki'],
      ['0.5Ki', '512'],
      ['1023', '1023'],
      ['1Gi', '1Gi'],
      ['0.5', '500m'],
      ['1.5', '1500m'],
      ['1500m', '1500m'],
      ['1000m', '1'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['1500000', '1500k'],
      ['0.1m', '100u'],
      ['100m', '100m'],
      ['1e3', '1e3'],
      ['12e6', '12e6'],
      ['1.5e3', '1500'],
      ['0', '0'],
      ['0Mi', '0'],
      ['-1.5', '-1500m'],
      ['1.0000000001', '1000000001n'],
      ['2E', '2E'],
      ['2000E', '2e21'],
    ];
    for (const [text, want] of cases) assert.equal(canonicalQuantity(text), want, text);
  });

  it('keeps the suffix family of the text', () => {
    assert.equal(parseQuantityExact('1Mi').format, 'BinarySI');
    assert.equal(parseQuantityExact('1M').format, 'DecimalSI');
    assert.equal(parseQuantityExact('1e6').format, 'DecimalExponent');
    assert.equal(parseQuantityExact('0.5Ki').format, 'BinarySI');
    assert.equal(parseQuantityExact('0.0001Ki').format, 'DecimalSI', 'binary values below one become decimal');
  });
});

describe('formatQuantity', () => {
  it('renders cpu in decimal SI', () => {
    assert.equal(formatQuantity(1.5, 'cpu'), '1500m');
    assert.equal(formatQuantity(1, 'cpu'), '1');
    assert.equal(formatQuantity(0.25, 'cpu'), '250m');
    assert.equal(formatQuantity(0.3, 'cpu'), '300m');
    assert.equal(formatQuantity(0.1 + 0.2, 'cpu'), '300m', 'float noise below a nano-unit is rounded away');
    assert.equal(formatQuantity(1.0000000004, 'cpu'), '1');
    assert.equal(formatQuantity(1.0000000006, 'cpu'), '1000000001n');
    assert.equal(formatQuantity(0, 'cpu'), '0');
  });

  it('renders bytes in binary SI where exact', () => {
    assert.equal(formatQuantity(1073741824, 'bytes'), '1Gi');
    assert.equal(formatQuantity(134217728, 'bytes'), '128Mi');
    assert.equal(formatQuantity(1536 * 1024 * 1024, 'bytes'), '1536Mi');
    assert.equal(formatQuantity(1500, 'bytes'), '1500');
    assert.equal(formatQuantity(1000, 'bytes'), '1k', 'below 1024 kube falls back to decimal');
    assert.equal(formatQuantity(512, 'bytes'), '512');
    assert.equal(formatQuantity(1e-7, 'bytes'), '100n');
  });

  it('renders plain counts as bare digits', () => {
    assert.equal(formatQuantity(110, 'plain'), '110');
    assert.equal(formatQuantity(1000, 'plain'), '1000');
    assert.equal(formatQuantity(1.5, 'plain'), '1.5');
    assert.equal(formatQuantity(0.005, 'plain'), '0.005');
    assert.equal(formatQuantity(-2, 'plain'), '-2');
  });

  it('round-trips through parseQuantity', () => {
    for (const n of [0.5, 2, 1073741824, 134217728, 1500, 1e12]) {
      assert.equal(parseQuantity(formatQuantity(n, 'bytes')), n);
      assert.equal(parseQuantity(formatQuantity(n, 'cpu')), n);
    }
  });

  it('refuses non-finite numbers', () => {
    assert.throws(() => formatQuantity(Number.NaN, 'cpu'));
    assert.throws(() => formatQuantity(Infinity, 'bytes'));
  });
});

describe('formatMilli', () => {
  it('renders millicores', () => {
    assert.equal(formatMilli(1500), '1500m');
    assert.equal(formatMilli(2000), '2');
    assert.equal(formatMilli(100), '100m');
    assert.equal(formatMilli(0), '0');
    assert.equal(formatMilli(parseMilli('250m') + parseMilli('750m')), '1');
    assert.throws(() => formatMilli(1.5));
  });
});
