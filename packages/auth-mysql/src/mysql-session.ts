// A mysql2 connection as the SqlSession the shared module uses. Our statements go through
// execute() (server-side prepared statements: the login is a real parameter); an admin's
// clause, already escaped, through query() without values. The session's sql_mode decides
// how the clause's literals are read (NO_BACKSLASH_ESCAPES, ANSI_QUOTES).

import {
  mysqlDialect,
  type SqlDialect,
  type SqlSession,
  type Statement,
  TIMEOUTS,
} from "@courier-imap/auth-sql";
import mysql, { type Connection, type ConnectionOptions, type QueryError } from "mysql2";

const LOST_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "ECONNRESET",
  "EPIPE",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
  "ER_CON_COUNT_ERROR",
  "ER_CONNECTION_ALREADY_CLOSED",
]);

export function isMysqlConnectionError(e: unknown): boolean {
  const err = e as QueryError & { fatal?: boolean };
  return (
    LOST_CODES.has(err?.code) ||
    err?.errno === 1927 /* MariaDB: connection killed */ ||
    err?.errno === 2006 ||
    err?.errno === 2013 ||
    /closed state|connection is closed/i.test(err?.message ?? "")
  );
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return String(v);
}

class MysqlSession implements SqlSession {
  lost = false;

  constructor(
    private readonly c: Connection,
    readonly dialect: SqlDialect,
  ) {
    c.on("error", () => {
      this.lost = true;
    });
    c.on("end", () => {
      this.lost = true;
    });
  }

  query(st: Statement): Promise<string[][]> {
    return new Promise((resolve, reject) => {
      const opts = { sql: st.text, rowsAsArray: true, timeout: TIMEOUTS.queryMs };
      const done = (err: QueryError | null, rows: unknown) => {
        if (err) {
          if (err.fatal || /timeout/i.test(err.message)) this.lost = true;
          reject(err);
        } else resolve(Array.isArray(rows) ? (rows as unknown[][]).map((r) => r.map(cell)) : []);
      };
      if (st.values.length) this.c.execute(opts, st.values, done);
      else this.c.query(opts, done);
    });
  }

  ping(): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.lost = true;
        reject(new Error("ping timed out"));
      }, TIMEOUTS.pingMs);
      this.c.ping((err) => {
        clearTimeout(t);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    this.lost = true;
    this.c.destroy();
    return Promise.resolve();
  }
}

export function connectMysql(options: ConnectionOptions): Promise<SqlSession> {
  return new Promise((resolve, reject) => {
    const c = mysql.createConnection(options);
    c.on("error", () => {}); // reported through the callbacks; never an uncaught event
    c.connect((err) => {
      if (err) {
        c.destroy();
        reject(new Error(`cannot connect to MySQL: ${err.message}`, { cause: err }));
        return;
      }
      c.query(
        { sql: "SELECT @@SESSION.sql_mode", rowsAsArray: true, timeout: TIMEOUTS.queryMs },
        (e2, rows) => {
          if (e2) {
            c.destroy();
            reject(new Error(`MySQL: cannot read sql_mode: ${e2.message}`, { cause: e2 }));
            return;
          }
          const mode = cell((rows as unknown[][])[0]?.[0]);
          resolve(new MysqlSession(c, mysqlDialect(mode)));
        },
      );
    });
  });
}
