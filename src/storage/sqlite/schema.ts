// The SQLite layout. `log` is the change history: its autoincrement id is the
// store revision (as in kine), and a row also records what it replaced
// (`prev_rev`) so watch replay can report the previous value. `current` holds
// the newest value of every live key so reads never scan history. Both tables
// are written in the same transaction.

import type { Database } from 'better-sqlite3';

const DDL = `
CREATE TABLE IF NOT EXISTS log (
  rev        INTEGER PRIMARY KEY AUTOINCREMENT,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  create_rev INTEGER NOT NULL,
  prev_rev   INTEGER NOT NULL,
  deleted    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS current (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export function initSchema(db: Database): void {
  // WAL + FULL: a commit is fsynced before it returns, so an acknowledged
  // write survives a crash, while readers never block the writer.
  // One process owns the file (set before entering WAL so the WAL index
  // lives in heap memory instead of a shared-memory file).
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -32000');
  db.exec(DDL);
}
