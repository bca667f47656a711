// Child process for the sqlite crash test: writes keys forever, several in
// flight at a time, and prints "<key> <revision>" only after each write is
// acknowledged. The test kills it with SIGKILL and checks every printed key.

import { openSqliteStore } from './sqlite-store.js';

const IN_FLIGHT = 16;
const store = openSqliteStore({ dataDir: process.argv[2] });
let next = 0;

async function writer(): Promise<void> {
  for (;;) {
    const key = `/crash/${next++}`;
    const kv = await store.create(key, JSON.stringify({ n: key }));
    // Writes to a pipe are synchronous on Linux, so a printed line is a sent line.
    process.stdout.write(`${kv.key} ${kv.modRevision}\n`);
  }
}

for (let i = 0; i < IN_FLIGHT; i++) void writer();
