// The two real databases the daemon tests run against, behind one interface: an admin
// connection that creates a uniquely named table (and, for MariaDB, a user of its own), the
// connection part of the module's rc file, and a way to kill the daemon's connections
// server-side. Tables, users and roles are dropped at the end.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import mysql from "mysql2/promise";
import pg from "pg";

export interface DbFixture {
  readonly kind: "mysql" | "pgsql";
  readonly module: "authmysql" | "authpgsql";
  readonly prefix: "MYSQL" | "PGSQL";
  readonly table: string;
  /** undefined when the server answers; else why the tests cannot run. */
  reachable(): Promise<string | undefined>;
  setup(): Promise<void>;
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** rc lines for the connection; `port` overrides the server's port (to point it elsewhere). */
  connectionRc(port?: number): string;
  /** SQL expression for the options column built from the disable flags. */
  auxOptions: string;
  /** The admin's own ENUMERATE clause, for this dialect. */
  concatAddress(local: string, domain: string): string;
  /** Kills the daemon's connections server-side; returns how many. */
  killDaemonConnections(): Promise<number>;
  /** Stops and starts the database server (it is always started again). */
  restartServer(): Promise<void>;
  teardown(): Promise<void>;
}

const TAG = `${process.pid}_${randomBytes(3).toString("hex")}`;

async function until(what: string, cond: () => Promise<boolean>, ms = 60000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const TABLE_COLUMNS = `id VARCHAR(255) PRIMARY KEY, crypt VARCHAR(255), clear VARCHAR(255), uid INT, gid INT,
  home VARCHAR(255), maildir VARCHAR(255), quota VARCHAR(64), name VARCHAR(255),
  disableimap INT NOT NULL DEFAULT 0, disablepop3 INT NOT NULL DEFAULT 0, server VARCHAR(64) NOT NULL DEFAULT 'mail1'`;

export class MysqlFixture implements DbFixture {
  readonly kind = "mysql";
  readonly module = "authmysql";
  readonly prefix = "MYSQL";
  readonly table = `authsql_${TAG}`;
  readonly user = `authsql_${TAG}`;
  readonly auxOptions = "CONCAT('disableimap=',disableimap,',disablepop3=',disablepop3)";
  private admin?: mysql.Connection;

  async reachable(): Promise<string | undefined> {
    try {
      this.admin = await mysql.createConnection({ host: "127.0.0.1", user: "root", database: "test" });
      return undefined;
    } catch (e) {
      return `MariaDB on 127.0.0.1:3306 is not reachable (${(e as Error).message})`;
    }
  }

  async setup(): Promise<void> {
    await this.exec(`CREATE TABLE ${this.table} (${TABLE_COLUMNS})`);
    await this.exec(`CREATE USER '${this.user}'@'%' IDENTIFIED BY 'pw-${TAG}'`);
    await this.exec(`GRANT SELECT, UPDATE ON test.${this.table} TO '${this.user}'@'%'`);
  }

  async exec(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const [rows] = await this.admin!.query(sql, params);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  }

  connectionRc(port = 3306): string {
    return [
      "MYSQL_SERVER 127.0.0.1",
      `MYSQL_USERNAME ${this.user}`,
      `MYSQL_PASSWORD pw-${TAG}`,
      `MYSQL_PORT ${port}`,
      "MYSQL_OPT 0",
      "MYSQL_DATABASE test",
    ].join("\n");
  }

  concatAddress(local: string, domain: string): string {
    return `CONCAT(${local}, '@', ${domain})`;
  }

  async killDaemonConnections(): Promise<number> {
    const rows = await this.exec("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?", [this.user]);
    for (const r of rows) await this.exec(`KILL ${Number(r.ID)}`).catch(() => {});
    return rows.length;
  }

  async restartServer(): Promise<void> {
    const pid = Number(execFileSync("pidof", ["mariadbd"], { encoding: "utf8" }).trim().split(/\s+/)[0]);
    await this.admin?.end().catch(() => {});
    try {
      process.kill(pid, "SIGTERM");
      await until("mariadbd to stop", async () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
    } finally {
      execFileSync("start-stop-daemon", [
        "--start",
        "--oknodo",
        "--background",
        "--exec",
        "/usr/sbin/mariadbd",
      ]);
      await until("MariaDB to answer", async () => (await this.reachable()) === undefined);
    }
  }

  async teardown(): Promise<void> {
    if (!this.admin) return;
    await this.killDaemonConnections().catch(() => {});
    await this.exec(`DROP TABLE IF EXISTS ${this.table}`).catch(() => {});
    await this.exec(`DROP USER IF EXISTS '${this.user}'@'%'`).catch(() => {});
    await this.admin.end();
  }
}

export class PgsqlFixture implements DbFixture {
  readonly kind = "pgsql";
  readonly module = "authpgsql";
  readonly prefix = "PGSQL";
  readonly table = `authsql_${TAG}`;
  readonly app = `authsql-test-${TAG}`;
  readonly auxOptions = "'disableimap=' || disableimap || ',disablepop3=' || disablepop3";
  private admin?: pg.Client;

  async reachable(): Promise<string | undefined> {
    const c = new pg.Client({ host: "127.0.0.1", user: "postgres", database: "test" });
    c.on("error", () => {});
    try {
      await c.connect();
      this.admin = c;
      return undefined;
    } catch (e) {
      return `PostgreSQL on 127.0.0.1:5432 is not reachable (${(e as Error).message})`;
    }
  }

  async setup(): Promise<void> {
    await this.exec(`CREATE TABLE ${this.table} (${TABLE_COLUMNS})`);
  }

  async exec(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    let i = 0;
    const text = sql.replace(/\?/g, () => `$${++i}`);
    return (await this.admin!.query(text, params)).rows;
  }

  connectionRc(port = 5432): string {
    return `PGSQL_CONNECTION host=127.0.0.1 port=${port} user=postgres \\\n   dbname=test application_name='${this.app}'`;
  }

  concatAddress(local: string, domain: string): string {
    return `${local} || '@' || ${domain}`;
  }

  async killDaemonConnections(): Promise<number> {
    const rows = await this.exec(
      "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = ?",
      [this.app],
    );
    return rows.length;
  }

  async restartServer(): Promise<void> {
    const version = readdirSync("/etc/postgresql")[0];
    const ctl = (what: string) =>
      execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", what], {
        stdio: "ignore",
      });
    await this.admin?.end().catch(() => {});
    try {
      ctl("stop");
    } finally {
      ctl("start");
      await until("PostgreSQL to answer", async () => (await this.reachable()) === undefined);
    }
  }

  async teardown(): Promise<void> {
    if (!this.admin) return;
    await this.killDaemonConnections().catch(() => {});
    await this.exec(`DROP TABLE IF EXISTS ${this.table}`).catch(() => {});
    await this.admin.end();
  }
}
