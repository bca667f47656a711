// The one place that loads @peculiar/x509. Its dependency injection container
// (tsyringe) refuses to load without a Reflect metadata polyfill, and it needs a
// WebCrypto provider; importing x509 through this module guarantees both are
// in place before any certificate code runs.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
