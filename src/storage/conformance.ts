// The store conformance suite: every backend registers it from its own test
// file with a factory returning a fresh, empty-looking store per test.

import { describe } from 'node:test';
import { crudCases } from './conformance/crud-cases.js';
import type { StoreFactory } from './conformance/harness.js';
import { rangeCases } from './conformance/range-cases.js';
import { watchCases } from './conformance/watch-cases.js';

export type { StoreFactory } from './conformance/harness.js';
export { Recorder } from './conformance/harness.js';

export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    crudCases(factory);
    rangeCases(factory);
    watchCases(factory);
  });
}
