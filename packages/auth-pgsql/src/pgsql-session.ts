// A pg client as the SqlSession the shared module uses. Every statement goes through the
// extended protocol (one statement only, never a stacked second one); ours bind the login
// as $1. standard_conforming_strings is turned on, so '…' literals have no backslash escapes.

import { PGSQL_DIALECT, type SqlSession, type Statement, TIMEOUTS } from "@courier-imap/auth-sql";
import pg from "pg";

export function isPgConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? "";
  return (
    code.startsWith("08") ||
    /^57P0[123]$/.test(code) ||
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    /Connection terminated|connection error|not queryable|closed/i.test(err?.message ?? "")
  );
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return String(v);
}

class PgSession implements SqlSession {
  readonly dialect = PGSQL_DIALECT;
  lost = false;

  constructor(private readonly c: pg.Client) {
    c.on("error", () => {
      this.lost = true;
    });
    c.on("end", () => {
      this.lost = true;
    });
  }

  async query(st: Statement): Promise<string[][]> {
    try {
      const r = await this.c.query({
        text: st.text,
        values: st.values,
        rowMode: "array",
        queryMode: "extended",
      } as pg.QueryArrayConfig);
      return (r.rows ?? []).map((row: unknown[]) => row.map(cell));
    } catch (e) {
      if (/timeout/i.test((e as Error).message)) this.lost = true;
      throw e;
    }
  }

  async ping(): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => {
        this.lost = true;
        reject(new Error("ping timed out"));
      }, TIMEOUTS.pingMs);
    });
    try {
      await Promise.race([this.c.query("SELECT 1"), timeout]);
    } finally {
      clearTimeout(t);
    }
  }

  async close(): Promise<void> {
    this.lost = true;
    await this.c.end().catch(() => {});
  }
}

export async function connectPg(config: pg.ClientConfig): Promise<SqlSession> {
  const c = new pg.Client({
    ...config,
    connectionTimeoutMillis: Math.min(config.connectionTimeoutMillis ?? TIMEOUTS.connectMs, 10_000),
    query_timeout: TIMEOUTS.queryMs,
    statement_timeout: TIMEOUTS.queryMs,
  });
  c.on("error", () => {}); // reported through the calls; never an uncaught event
  try {
    await c.connect();
    await c.query("SET standard_conforming_strings = on");
  } catch (e) {
    await c.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL: ${(e as Error).message}`, { cause: e });
  }
  return new PgSession(c);
}
