// The SQLite engine: every write appends to `log` and updates `current` in
// the same transaction; a batch of writes is one transaction and one fsync.
// Statements are prepared once; rows come back already shaped as KeyValue.

import Database, { type Statement } from 'better-sqlite3';
import type { Engine, EngineRange, WriteOp, WriteOutcome } from '../local/engine.js';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type KeyValue,
  type WatchEvent,
} from '../types.js';
import { compareKeys, prefixUpperBound } from './key-bounds.js';
import { initSchema } from './schema.js';

const KV_COLUMNS = 'key, value, create_rev AS createRevision, mod_rev AS modRevision';

/** A history row: rev, key, value, create_rev, prev_rev, deleted, previous value. */
type LogRow = [number, string, string, number, number, number, string | null];

export class SqliteEngine implements Engine {
  private readonly db: Database.Database;
  private rev: number;
  private compactedRev: number;
  private readonly sql: ReturnType<typeof prepare>;
  private readonly applyTx: (ops: WriteOp[]) => { outcomes: WriteOutcome[]; rev: number };
  private readonly compactTx: (from: number, to: number) => void;

  constructor(file: string) {
    this.db = new Database(file);
    initSchema(this.db);
    this.sql = prepare(this.db);
    this.rev = (this.sql.lastRev.get() as number | undefined) ?? 0;
    this.compactedRev = (this.sql.getMeta.get('compacted') as number | undefined) ?? 0;
    this.applyTx = this.db.transaction((ops: WriteOp[]) => {
      let rev = this.rev;
      const outcomes = ops.map((op) => {
        const out = this.applyOne(op, rev + 1);
        if (!(out instanceof Error)) rev++;
        return out;
      });
      return { outcomes, rev };
    });
    this.compactTx = this.db.transaction((from: number, to: number) => {
      this.sql.dropSuperseded.run({ from, to });
      this.sql.dropTombstones.run({ from, to });
      this.sql.setMeta.run('compacted', to);
    });
  }

  get(key: string): KeyValue | undefined {
    return this.sql.get.get(key) as KeyValue | undefined;
  }

  range(prefix: string, limit: number, startAfter: string | undefined): EngineRange {
    const end = prefixUpperBound(prefix);
    const max = limit > 0 ? limit + 1 : -1;
    let rows: KeyValue[];
    if (startAfter === undefined || (!startAfter.startsWith(prefix) && compareKeys(startAfter, prefix) < 0)) {
      rows = this.sql.rangeFrom.all(prefix, end, max) as KeyValue[];
    } else if (startAfter.startsWith(prefix)) {
      rows = this.sql.rangeAfter.all(startAfter, end, max) as KeyValue[];
    } else {
      rows = []; // startAfter lies beyond every key under the prefix
    }
    const more = limit > 0 && rows.length > limit;
    if (more) rows.pop();
    return { items: rows, more };
  }

  count(prefix: string): number {
    return this.sql.count.get(prefix, prefixUpperBound(prefix)) as number;
  }

  revision(): number {
    return this.rev;
  }

  compacted(): number {
    return this.compactedRev;
  }

  apply(ops: WriteOp[]): WriteOutcome[] {
    const { outcomes, rev } = this.applyTx(ops);
    this.rev = rev;
    return outcomes;
  }

  /** Checks and applies one op inside the open transaction, at revision `rev`. */
  private applyOne(op: WriteOp, rev: number): WriteOutcome {
    const { sql } = this;
    const cur = sql.get.get(op.key) as KeyValue | undefined;
    if (op.kind === 'create') {
      if (cur) return new KeyExistsError(op.key, cur);
      sql.insertLog.run(rev, op.key, op.value, rev, 0, 0);
      sql.insertCurrent.run(op.key, op.value, rev, rev);
      return { type: 'put', kv: { key: op.key, value: op.value, createRevision: rev, modRevision: rev } };
    }
    if (!cur) return new KeyNotFoundError(op.key);
    if (op.expected !== undefined && op.expected !== cur.modRevision) return new RevisionMismatchError(op.key, cur);
    if (op.kind === 'update') {
      sql.insertLog.run(rev, op.key, op.value, cur.createRevision, cur.modRevision, 0);
      sql.updateCurrent.run(op.value, rev, op.key);
      const kv = { key: op.key, value: op.value, createRevision: cur.createRevision, modRevision: rev };
      return { type: 'put', kv, prev: cur };
    }
    sql.insertLog.run(rev, op.key, cur.value, cur.createRevision, cur.modRevision, 1);
    sql.deleteCurrent.run(op.key);
    return { type: 'delete', kv: { ...cur, modRevision: rev }, prev: cur };
  }

  history(prefix: string, after: number): WatchEvent[] {
    const rows = this.sql.history.all(after, prefix, prefixUpperBound(prefix)) as LogRow[];
    return rows.map(([rev, key, value, createRevision, prevRev, deleted, prevValue]): WatchEvent => {
      const kv = { key, value, createRevision, modRevision: rev };
      if (deleted) return { type: 'delete', kv, prev: { key, value, createRevision, modRevision: prevRev } };
      if (prevRev === 0 || prevValue === null) return { type: 'put', kv };
      return { type: 'put', kv, prev: { key, value: prevValue, createRevision, modRevision: prevRev } };
    });
  }

  compact(revision: number): void {
    this.compactTx(this.compactedRev, revision);
    this.compactedRev = revision;
  }

  close(): void {
    this.db.close();
  }
}

function prepare(db: Database.Database) {
  const st = (sql: string): Statement => db.prepare(sql);
  return {
    lastRev: st(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).pluck(),
    getMeta: st('SELECT value FROM meta WHERE name = ?').pluck(),
    setMeta: st('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    get: st(`SELECT ${KV_COLUMNS} FROM current WHERE key = ?`),
    rangeFrom: st(`SELECT ${KV_COLUMNS} FROM current WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`),
    rangeAfter: st(`SELECT ${KV_COLUMNS} FROM current WHERE key > ? AND key < ? ORDER BY key LIMIT ?`),
    count: st('SELECT count(*) FROM current WHERE key >= ? AND key < ?').pluck(),
    insertLog: st('INSERT INTO log (rev, key, value, create_rev, prev_rev, deleted) VALUES (?, ?, ?, ?, ?, ?)'),
    insertCurrent: st('INSERT INTO current (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)'),
    updateCurrent: st('UPDATE current SET value = ?, mod_rev = ? WHERE key = ?'),
    deleteCurrent: st('DELETE FROM current WHERE key = ?'),
    history: st(
      `SELECT l.rev, l.key, l.value, l.create_rev, l.prev_rev, l.deleted, p.value
       FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
       WHERE l.rev > ? AND l.key >= ? AND l.key < ? ORDER BY l.rev`,
    ).raw(),
    // Compaction keeps, per key, the newest row at or below the compacted
    // revision (it is the `prev` of the key's next change) and drops rows that
    // a later row at or below it replaced, plus tombstones.
    dropSuperseded: st(
      `DELETE FROM log WHERE rev IN
         (SELECT prev_rev FROM log WHERE rev > @from AND rev <= @to AND prev_rev > 0)`,
    ),
    dropTombstones: st('DELETE FROM log WHERE rev > @from AND rev <= @to AND deleted = 1'),
  };
}
