// The storage package's public surface: the contract and the backend opener.

export * from './types.js';
export { openStore, type OpenStoreOptions, type StoreKind } from './open-store.js';
