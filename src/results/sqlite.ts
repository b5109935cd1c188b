// summary.sqlite: the summary as a database, for queries the CSV makes awkward. Table
// `runs` has one row per config and the columns of columns.ts (index, name, status, ...,
// one per parameter, one per recorded result); table `attempts` one row per attempt; table
// `sweep` one row about the sweep. sql.js (SQLite compiled to WebAssembly) builds the
// database in memory; its bytes are written atomically, so a reader never sees half a file.
import { isLosslessNumber, stringifyExact } from '../notebook/index.js';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import type { JSONValue } from '../notebook/types.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { summaryColumns, type Column } from './columns.js';
import { cellValue } from './csv.js';
import type { AttemptRow, SummaryRow, SweepMeta } from './types.js';

let sqlJs: ReturnType<typeof initSqlJs> | undefined;

function engine() {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** JSON values as SQLite values: numbers and strings as they are, booleans 0/1, null NULL, lists and mappings JSON text. */
export function sqlValue(v: JSONValue | undefined): SqlValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  // 1.0 is a REAL; an integer beyond 2^53 keeps its digits as text.
  if (isLosslessNumber(v)) return /^-?\d+$/.test(String(v)) ? String(v) : Number(String(v));
  return stringifyExact(v);
}

/** INTEGER, REAL or TEXT from the values a column holds (no declared type when it holds none). */
function declaredType(values: SqlValue[]): string {
  const present = values.filter((v) => v !== null);
  if (!present.length) return '';
  if (present.every((v) => typeof v === 'number' && Number.isInteger(v))) return ' INTEGER';
  if (present.every((v) => typeof v === 'number')) return ' REAL';
  return present.every((v) => typeof v === 'string') ? ' TEXT' : '';
}

function runValue(row: SummaryRow, col: Column): SqlValue {
  if (col.kind === 'run' && col.key === 'tags') return row.tags.length ? JSON.stringify(row.tags) : null;
  return sqlValue(cellValue(row, col));
}

const ATTEMPT_COLUMNS: (keyof AttemptRow)[] = ['run_index', 'attempt', 'status', 'started_at', 'ended_at', 'start_sec', 'exec_sec', 'total_sec', 'server', 'host', 'headline', 'cell_index'];

/** The database's bytes. */
export async function buildSqlite(rows: readonly SummaryRow[], attempts: readonly AttemptRow[], meta: SweepMeta): Promise<Uint8Array> {
  const SQL = await engine();
  const db: Database = new SQL.Database();
  try {
    const cols = summaryColumns(rows);
    const values = rows.map((r) => cols.map((c) => runValue(r, c)));
    const defs = cols.map((c, i) => `${quote(c.name)}${c.key === 'index' && c.kind === 'run' ? ' INTEGER PRIMARY KEY' : declaredType(values.map((v) => v[i]!))}`);
    db.run('BEGIN');
    db.run(`CREATE TABLE runs (${defs.join(', ')})`);
    insertAll(db, 'runs', cols.map((c) => c.name), values);
    db.run(
      'CREATE TABLE attempts (run_index INTEGER, attempt INTEGER, status TEXT, started_at TEXT, ended_at TEXT, start_sec REAL, exec_sec REAL, total_sec REAL, server TEXT, host TEXT, headline TEXT, cell_index INTEGER, PRIMARY KEY (run_index, attempt))',
    );
    insertAll(db, 'attempts', ATTEMPT_COLUMNS, attempts.map((a) => ATTEMPT_COLUMNS.map((k) => a[k] as SqlValue)));
    // Which `runs` column shows which parameter or result, for tools that need the raw key.
    db.run('CREATE TABLE columns (name TEXT PRIMARY KEY, kind TEXT, key TEXT)');
    insertAll(db, 'columns', ['name', 'kind', 'key'], cols.map((c) => [c.name, c.kind, c.key]));
    db.run('CREATE TABLE sweep (title TEXT, notebook TEXT, started_at TEXT, ended_at TEXT)');
    insertAll(db, 'sweep', ['title', 'notebook', 'started_at', 'ended_at'], [[meta.title, meta.notebook, meta.startedAt, meta.endedAt]]);
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

function insertAll(db: Database, table: string, names: readonly string[], rows: readonly SqlValue[][]): void {
  const stmt = db.prepare(`INSERT INTO ${table} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  try {
    for (const r of rows) stmt.run(r);
  } finally {
    stmt.free();
  }
}

export async function writeSqlite(path: string, rows: readonly SummaryRow[], attempts: readonly AttemptRow[], meta: SweepMeta): Promise<void> {
  await writeFileAtomic(path, Buffer.from(await buildSqlite(rows, attempts, meta)));
}
