// One persistent connection per authdaemond child (spec/auth-modules.md §8.6), made on first
// use. A connection unused for 60 s is pinged first; one that died (server restarted, killed
// server-side, network) is replaced and the statement retried once. Every step is bounded:
// connect 5 s, statement 8 s, ping 2 s — so even a connect, a lost statement and a retry stay
// inside the 30 s the daemon gives a request.

import type { ModuleLogger } from "@courier-imap/authlib";
import type { SqlDialect } from "./dialect.js";
import type { Statement } from "./queries.js";

export interface Timeouts {
  connectMs: number;
  queryMs: number;
  pingMs: number;
}

export const TIMEOUTS: Timeouts = { connectMs: 5000, queryMs: 8000, pingMs: 2000 };
const PING_AFTER_MS = 60_000;

/** A live connection, as a backend package makes it. */
export interface SqlSession {
  readonly dialect: SqlDialect;
  /** Rows as strings (NULL → ""). `values` empty: run unprepared (an admin's clause). */
  query(st: Statement): Promise<string[][]>;
  ping(): Promise<void>;
  /** True once the driver saw the connection end. */
  readonly lost: boolean;
  close(): Promise<void>;
}

export class SqlConnection<C> {
  private current: { session: Promise<SqlSession>; lastUse: number } | undefined;

  constructor(
    private readonly open: (conf: C) => Promise<SqlSession>,
    private readonly isConnectionError: (e: unknown) => boolean,
    private readonly log: ModuleLogger,
    private readonly name: string,
  ) {}

  /** Runs `fn` on the connection; reconnects and retries once if the connection was lost. */
  async run<T>(conf: C, fn: (s: SqlSession) => Promise<T>): Promise<T> {
    const s = await this.get(conf);
    try {
      return this.used(await fn(s));
    } catch (e) {
      const lost = s.lost || this.isConnectionError(e);
      await this.drop(s);
      if (!lost) throw e;
      this.log.info(`${this.name}: connection lost (${(e as Error).message}), reconnecting`);
      return this.used(await fn(await this.get(conf)));
    }
  }

  private used<T>(r: T): T {
    if (this.current) this.current.lastUse = Date.now();
    return r;
  }

  private async get(conf: C): Promise<SqlSession> {
    const cur = this.current;
    if (cur) {
      let s: SqlSession | undefined;
      try {
        s = await cur.session;
      } catch {
        // the connect of another request failed: make a new attempt below
      }
      if (s && !s.lost && Date.now() - cur.lastUse < PING_AFTER_MS) return s;
      if (s?.lost) this.log.info(`${this.name}: the database closed the connection, reconnecting`);
      if (s && !s.lost) {
        try {
          await s.ping();
          cur.lastUse = Date.now();
          return s;
        } catch (e) {
          this.log.info(`${this.name}: ping failed (${(e as Error).message}), reconnecting`);
        }
      }
      if (this.current === cur) this.current = undefined;
      if (s) void s.close().catch(() => {});
      if (this.current) return this.get(conf);
    }
    const session = this.open(conf);
    const entry = { session, lastUse: Date.now() };
    this.current = entry;
    try {
      return await session;
    } catch (e) {
      if (this.current === entry) this.current = undefined;
      throw e;
    }
  }

  /** Closes the connection (all of it, or only if it is still `s`). */
  async drop(s?: SqlSession): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    const session = await cur.session.catch(() => undefined);
    if (s && session !== s) return;
    if (this.current === cur) this.current = undefined;
    await session?.close().catch(() => {});
  }
}
