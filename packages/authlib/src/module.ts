// The interface between authdaemond and an authentication module (authuserdb, and the
// separately packaged authldap/authmysql/authpgsql). Courier's return convention
// (spec/authdaemon-protocol.md §5): ACCEPT, REJECT (try the next module), TEMPFAIL (stop,
// the client gets no reply and reports a temporary problem).

import type { AuthRecord } from "./record.js";

export type ModuleResult =
  | { result: "accept"; record: AuthRecord }
  | { result: "reject"; reason?: string }
  | { result: "tempfail"; reason: string }
  /** Step data of a multi-step authtype (scram-sha-256): sent as these lines, then FAIL. */
  | { result: "data"; lines: string[] };

export interface EnumeratedRecord {
  name: string;
  uid: number;
  gid: number;
  home: string;
  maildir?: string;
  options?: string;
}

/** PASSWD result: changed; not this module's account or old password wrong (try the next
 * module); or a hard failure (stop, the client gets FAIL). spec/authdaemon-protocol.md §3.4 */
export type PasswdResult = "ok" | "reject" | "fail";

/** Request meta variables the daemon passes on (only TCPREMOTEIP is defined). */
export type RequestMeta = Record<string, string>;

export interface ModuleLogger {
  info(msg: string): void;
  /** `WARN:` lines; optional so that older loggers still fit. */
  warn?(msg: string): void;
  err(msg: string): void;
  /** Logged only when DEBUG_LOGIN >= level (default 1). */
  debug(msg: string, level?: number): void;
}

export interface AuthModule {
  readonly name: string;
  /** `PRE`: look the account up without a password. */
  pre(service: string, userid: string): Promise<ModuleResult>;
  /** `AUTH`: authtype `login`, `cram-*`, …; reject authtypes the module does not know. */
  auth(service: string, authtype: string, authdata: string, meta?: RequestMeta): Promise<ModuleResult>;
  /** `PASSWD`: change the password, if the module supports it. */
  passwd?(service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult>;
  /** `ENUMERATE`, if the module can list its accounts. */
  enumerate?(): AsyncIterable<EnumeratedRecord> | Iterable<EnumeratedRecord>;
  /** Called after 300 s without connections: close files and connections. */
  idle?(): void;
  close?(): void | Promise<void>;
}

export const ACCEPT = (record: AuthRecord): ModuleResult => ({ result: "accept", record });
export const REJECT = (reason?: string): ModuleResult => ({ result: "reject", reason });
export const TEMPFAIL = (reason: string): ModuleResult => ({ result: "tempfail", reason });
export const DATA = (lines: string[]): ModuleResult => ({ result: "data", lines });

/** authtype `login` data: `userid\npassword\n`, split like C strtok (empty tokens skipped). */
export function parseLoginData(authdata: string): { userid: string; password: string } | undefined {
  const [userid, password] = authdata.split("\n").filter((t) => t !== "");
  return userid !== undefined && password !== undefined ? { userid, password } : undefined;
}
