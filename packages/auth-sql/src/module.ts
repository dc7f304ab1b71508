// authmysql / authpgsql: the module logic both share (spec/auth-modules.md §8, §9); a backend
// package supplies the driver. Results follow Courier, except that every database or
// configuration error is a TEMPFAIL (Courier REJECTs during AUTH when the database is down,
// which sends the user to the next module or a false "wrong password").

import { dirname, join, resolve } from "node:path";
import {
  ACCEPT,
  type AuthModule,
  type AuthRecord,
  checkCram,
  checkPassword,
  cramSecret,
  cryptPasswordLike,
  type EnumeratedRecord,
  type ModuleLogger,
  type ModuleResult,
  type PasswdResult,
  parseCramRequest,
  parseLoginData,
  REJECT,
  safeEqual,
  TEMPFAIL,
} from "@courier-imap/authlib";
import { AuthRcFile } from "@courier-imap/config";
import { SqlConnection, type SqlSession } from "./connection.js";
import { UnsafeSubstitutionError } from "./escape.js";
import { chpassStatement, enumerateStatement, lookupStatement, type Statement } from "./queries.js";
import { accountFromRow, enumeratedFromRow, type SqlAccount } from "./rows.js";
import { readFieldSettings, type SqlFieldSettings } from "./settings.js";

/** What a backend package (auth-mysql, auth-pgsql) provides. */
export interface SqlBackend<C> {
  /** authmodulelist name: authmysql, authpgsql. */
  readonly moduleName: string;
  readonly prefix: "MYSQL" | "PGSQL";
  /** Its own settings (server, credentials, TLS …) from the rc file; throws when unusable. */
  readConnection(rc: Map<string, string>, file: string, log: ModuleLogger): C;
  connect(conf: C, log: ModuleLogger): Promise<SqlSession>;
  /** True when `e` means the connection is gone (so reconnecting and retrying may help). */
  isConnectionError(e: unknown): boolean;
}

interface Loaded<C> {
  fields: SqlFieldSettings;
  conn: C;
}

/** The rc file: `$AUTHMYSQLRC` / `$AUTHPGSQLRC`, else beside authdaemonrc. */
export function rcFilePath(
  moduleName: string,
  settings: { configFile?: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = env[`${moduleName.toUpperCase()}RC`];
  if (fromEnv) return fromEnv;
  const dir = settings.configFile ? dirname(resolve(settings.configFile)) : "/etc/courier";
  return join(dir, `${moduleName}rc`);
}

export class SqlAuthModule<C> implements AuthModule {
  readonly name: string;
  private readonly rc: AuthRcFile<Loaded<C>>;
  private readonly db: SqlConnection<C>;

  constructor(
    backend: SqlBackend<C>,
    rcFile: string,
    private readonly log: ModuleLogger,
  ) {
    this.name = backend.moduleName;
    this.rc = new AuthRcFile(
      rcFile,
      (rc) => ({
        fields: readFieldSettings(rc, backend.prefix, rcFile),
        conn: backend.readConnection(rc, rcFile, log),
      }),
      (msg) => log.err(`${this.name}: ${msg}`),
    );
    this.db = new SqlConnection(
      (conf: C) => backend.connect(conf, log),
      (e) => backend.isConnectionError(e),
      log,
      this.name,
    );
  }

  /** The current settings; a changed file closes the connection made with the old ones. */
  private async settings(): Promise<Loaded<C>> {
    const { settings, reloaded } = this.rc.current();
    if (reloaded) {
      this.log.info(`${this.name}: ${this.rc.file} changed, settings reloaded`);
      await this.db.drop();
    }
    return settings;
  }

  private async query(conf: Loaded<C>, make: (s: SqlSession) => Statement, level = 1): Promise<string[][]> {
    return this.db.run(conf.conn, (s) => {
      const st = make(s);
      this.log.debug(`${this.name}: SQL query: ${st.text}`, level);
      return s.query(st);
    });
  }

  private async lookup(service: string, login: string): Promise<SqlAccount | undefined> {
    const conf = await this.settings();
    const rows = await this.query(conf, (s) => lookupStatement(conf.fields, s.dialect, login, service));
    if (!rows.length) {
      this.log.debug(`${this.name}: '${login}' not found`);
      return undefined;
    }
    return accountFromRow(rows[0]);
  }

  /** Not "no such user": logged, and a temporary failure (refused substitutions: a reject). */
  private failure(e: unknown): ModuleResult {
    const msg = (e as Error).message;
    this.log.err(`${this.name}: ${msg}`);
    return e instanceof UnsafeSubstitutionError ? REJECT(msg) : TEMPFAIL(msg);
  }

  private record(a: SqlAccount, extra: Partial<AuthRecord>): AuthRecord {
    return {
      uid: a.uid,
      gid: a.gid,
      home: a.home,
      address: a.address,
      name: a.name || undefined,
      maildir: a.maildir || undefined,
      quota: a.quota || undefined,
      passwd: a.crypt || undefined,
      options: a.options || undefined,
      ...extra,
    };
  }

  async pre(service: string, userid: string): Promise<ModuleResult> {
    let a: SqlAccount | undefined;
    try {
      a = await this.lookup(service, userid);
    } catch (e) {
      return this.failure(e);
    }
    return a ? ACCEPT(this.record(a, { passwd2: a.clear || undefined })) : REJECT();
  }

  async auth(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype === "login") return this.login(service, authdata);
    if (authtype.startsWith("cram-")) return this.cram(service, authtype, authdata);
    return REJECT(`unsupported authtype ${authtype}`);
  }

  private async verify(a: SqlAccount, password: string): Promise<boolean> {
    if (a.crypt) return checkPassword(password, a.crypt);
    if (a.clear) return safeEqual(password, a.clear);
    this.log.debug(`${this.name}: no password for '${a.address}'`);
    return false;
  }

  private async login(service: string, authdata: string): Promise<ModuleResult> {
    const creds = parseLoginData(authdata);
    if (!creds) return REJECT("malformed login data");
    let a: SqlAccount | undefined;
    try {
      a = await this.lookup(service, creds.userid);
    } catch (e) {
      return this.failure(e);
    }
    if (!a) return REJECT();
    if (!(await this.verify(a, creds.password))) {
      this.log.debug("supplied password does not match encrypted password");
      return REJECT();
    }
    this.log.debug("password matches successfully");
    return ACCEPT(this.record(a, { passwd2: creds.password }));
  }

  private async cram(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    const req = parseCramRequest(authtype, authdata);
    if (!req) return REJECT("malformed CRAM request");
    let a: SqlAccount | undefined;
    try {
      a = await this.lookup(service, req.userid);
    } catch (e) {
      return this.failure(e);
    }
    if (!a?.clear) return REJECT();
    if (!checkCram(req.alg, cramSecret(req.alg, a.clear), req.challenge, req.digest)) {
      this.log.debug(`${this.name}: ${authtype} verification failed for '${req.userid}'`);
      return REJECT();
    }
    return ACCEPT(this.record(a, { passwd2: a.clear }));
  }

  async passwd(service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    let a: SqlAccount | undefined;
    let conf: Loaded<C>;
    try {
      conf = await this.settings();
      a = await this.lookup(service, userid);
    } catch (e) {
      return this.failure(e).result === "reject" ? "reject" : "fail";
    }
    if (!a || !(await this.verify(a, oldpass))) return "reject";
    const newcrypt = await cryptPasswordLike(newpass, a.crypt);
    try {
      await this.query(
        conf,
        (s) => {
          const st = chpassStatement(conf.fields, s.dialect, { login: userid, service, newpass, newcrypt });
          if (!st) throw new Error("no password field is configured, cannot change passwords");
          return st;
        },
        2,
      );
    } catch (e) {
      this.failure(e);
      return "fail";
    }
    this.log.info(`${this.name}: password changed for ${a.address}`);
    return "ok";
  }

  async *enumerate(): AsyncGenerator<EnumeratedRecord> {
    const conf = await this.settings();
    const rows = await this.query(conf, (s) => enumerateStatement(conf.fields, s.dialect));
    for (const row of rows) {
      const r = enumeratedFromRow(row);
      if (r) yield r;
    }
  }

  idle(): void {
    void this.db.drop();
  }

  async close(): Promise<void> {
    await this.db.drop();
  }
}

/** The `createAuthModule(settings, log)` a backend package exports for authdaemond. */
export function createSqlAuthModule<C>(
  backend: SqlBackend<C>,
  settings: { configFile?: string },
  log: ModuleLogger,
): AuthModule {
  return new SqlAuthModule(backend, rcFilePath(backend.moduleName, settings), log);
}
