// authldap: accounts in an LDAP directory (spec/auth-modules.md §7), one persistent main
// connection per authdaemond child (searches, as LDAP_BINDDN with LDAP_INITBIND=1) and one
// bind connection (LDAP_AUTHBIND: the password is checked by binding as the user).
//
// Differences from Courier, on purpose: a server that cannot be reached is a TEMPFAIL (Courier
// REJECTs when the main connection fails, so the next module or a "wrong password" answer
// follows); ADDRESS is the login as typed, not its filter-escaped form; the email map's
// handle is escaped too; LDAP_EMAILMAP_BASEDN defaults to LDAP_BASEDN; LDAP_GLOB_GID is read
// from LDAP_GLOB_GID (Courier parses it from LDAP_GLOB_UID); a failed modify in PASSWD is a
// FAIL rather than "try the next module".

import {
  ACCEPT,
  type AuthModule,
  checkCram,
  checkPassword,
  cramSecret,
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
import { Attribute, Change, type Client, ResultCodeError } from "ldapts";
import { type Account, auxOptions, enumerateAttributes, homeWithMailroot, toAccount } from "./account.js";
import { buildConfig, type LdapConfig } from "./config.js";
import { isConnectionError, LdapConnection, LdapUnavailableError } from "./connection.js";
import { atoi, first, values } from "./entry.js";
import { enumerateFilter } from "./filter.js";
import { findEntry } from "./lookup.js";
import { newPasswordHash } from "./passwordhash.js";
import type { Lookup } from "./tlsoptions.js";

interface State {
  cfg: LdapConfig;
  main: LdapConnection;
  bind: LdapConnection;
}

export class AuthLdap implements AuthModule {
  readonly name = "authldap";
  private readonly rc: AuthRcFile<LdapConfig>;
  private st: State | undefined;

  constructor(
    rcPath: string,
    private readonly env: Lookup,
    private readonly log: ModuleLogger,
  ) {
    this.rc = new AuthRcFile(rcPath, buildConfig, (m) => log.err(`authldap: ${m}`));
  }

  private warn = (msg: string) => (this.log.warn ? this.log.warn(msg) : this.log.info(msg));
  private debug = (msg: string) => this.log.debug(msg);
  private err = (msg: string) => this.log.err(msg);

  /** The current settings and connections; settings changed on disk drop the old connections. */
  private state(): State {
    const { settings: config, reloaded } = this.rc.current();
    if (this.st && !reloaded && this.st.cfg === config) return this.st;
    this.dropConnections();
    if (config.protocolVersion === 2)
      this.warn("authldap: LDAP_PROTOCOL_VERSION 2 is not supported, using 3");
    this.st = {
      cfg: config,
      main: new LdapConnection(config, this.env, config.initBind),
      bind: new LdapConnection(config, this.env, false),
    };
    return this.st;
  }

  private dropConnections(): void {
    this.st?.main.drop();
    this.st?.bind.drop();
  }

  /** Runs a lookup; configuration problems and an unreachable server are temporary failures. */
  private async guarded(what: string, fn: (st: State) => Promise<ModuleResult>): Promise<ModuleResult> {
    let st: State;
    try {
      st = this.state();
    } catch (e) {
      this.err(`authldap: ${(e as Error).message}`);
      return TEMPFAIL((e as Error).message);
    }
    try {
      return await fn(st);
    } catch (e) {
      const msg = (e as Error).message;
      if (e instanceof ResultCodeError && !isConnectionError(e)) {
        this.err(`authldap: ${what}: ${msg}`);
        return REJECT(msg);
      }
      if (!(e instanceof LdapUnavailableError)) st.main.drop();
      this.err(`authldap: ${what}: ${msg}`);
      return TEMPFAIL(msg);
    }
  }

  private reply(acct: Account, address: string, passwd2: string | undefined): ModuleResult {
    if (acct.uid === 0 || acct.gid === 0) {
      this.err(
        `authldaplib: refuse to authenticate ${address}: uid=${acct.uid}, gid=${acct.gid} (zero uid or gid not permitted)`,
      );
      return TEMPFAIL("zero uid or gid");
    }
    return ACCEPT({
      uid: acct.uid,
      gid: acct.gid,
      home: acct.home,
      address,
      name: acct.name,
      maildir: acct.maildir,
      quota: acct.quota,
      passwd: acct.cryptPassword,
      passwd2,
      options: acct.options,
    });
  }

  /** Checks `password` as login does: bind as the user, else the clear, else the crypt value. */
  private async verify(st: State, acct: Account, password: string): Promise<boolean> {
    if (st.cfg.authBind) {
      if (!password) return false; // an empty simple bind is an anonymous bind: never a login
      return st.bind.exclusive((c) => bindAs(c, acct.dn, password));
    }
    if (acct.clearPassword !== undefined) return safeEqual(password, acct.clearPassword);
    if (acct.cryptPassword !== undefined) return checkPassword(password, acct.cryptPassword);
    this.err(`authldap: Missing password in LDAP! (${acct.dn})`);
    return false;
  }

  async pre(service: string, userid: string): Promise<ModuleResult> {
    return this.guarded(`lookup of ${userid}`, async (st) => {
      const entry = await findEntry(st.main, st.cfg, userid, this.debug, this.err);
      if (!entry) return REJECT();
      const acct = toAccount(st.cfg, entry, service, this.warn);
      return this.reply(acct, userid, acct.clearPassword);
    });
  }

  async auth(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype === "login") {
      const creds = parseLoginData(authdata);
      if (!creds) return REJECT("malformed login data");
      return this.guarded(`login of ${creds.userid}`, async (st) => {
        const entry = await findEntry(st.main, st.cfg, creds.userid, this.debug, this.err);
        if (!entry) return REJECT();
        const acct = toAccount(st.cfg, entry, service, this.warn);
        if (!(await this.verify(st, acct, creds.password))) {
          this.debug("supplied password does not match encrypted password");
          return REJECT();
        }
        this.debug("password matches successfully");
        return this.reply(acct, creds.userid, acct.clearPassword ?? creds.password);
      });
    }
    const cram = parseCramRequest(authtype, authdata);
    if (!cram) return REJECT(`unsupported authtype ${authtype}`);
    return this.guarded(`${authtype} of ${cram.userid}`, async (st) => {
      const entry = await findEntry(st.main, st.cfg, cram.userid, this.debug, this.err);
      if (!entry) return REJECT();
      const acct = toAccount(st.cfg, entry, service, this.warn);
      if (acct.clearPassword === undefined) {
        this.debug(`authldap: no clear password for ${cram.userid}, ${authtype} impossible`);
        return REJECT();
      }
      if (!checkCram(cram.alg, cramSecret(cram.alg, acct.clearPassword), cram.challenge, cram.digest))
        return REJECT();
      return this.reply(acct, cram.userid, acct.clearPassword);
    });
  }

  async passwd(service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    const r = await this.guarded(`password change of ${userid}`, async (st) => {
      const entry = await findEntry(st.main, st.cfg, userid, this.debug, this.err);
      if (!entry) return REJECT();
      const acct = toAccount(st.cfg, entry, service, this.warn);
      const changes: Change[] = [];
      const replace = (type: string, value: string) =>
        changes.push(
          new Change({ operation: "replace", modification: new Attribute({ type, values: [value] }) }),
        );
      if (st.cfg.clearPwAttr && acct.clearPassword !== undefined) replace(st.cfg.clearPwAttr, newpass);
      if (st.cfg.cryptPwAttr && acct.cryptPassword !== undefined)
        replace(st.cfg.cryptPwAttr, await newPasswordHash(newpass, acct.cryptPassword));
      const modify = async (c: Client) => {
        if (!changes.length) {
          this.err(`authldap: ${userid}: no password attribute to change`);
          return REJECT();
        }
        try {
          await c.modify(acct.dn, changes);
        } catch (e) {
          if (isConnectionError(e)) throw e;
          this.err(`authldap: cannot change the password of ${acct.dn}: ${(e as Error).message}`);
          return TEMPFAIL("modify failed");
        }
        this.log.info(`authldap: password changed for ${userid}`);
        return ACCEPT({ gid: acct.gid, home: acct.home });
      };
      if (st.cfg.authBind) {
        // Bind as the user and modify on that same session, as Courier does.
        if (!oldpass) return REJECT();
        return st.bind.exclusive(async (c) => ((await bindAs(c, acct.dn, oldpass)) ? modify(c) : REJECT()));
      }
      if (!(await this.verify(st, acct, oldpass))) return REJECT();
      return st.main.run(modify);
    });
    return r.result === "accept" ? "ok" : r.result === "reject" ? "reject" : "fail";
  }

  async *enumerate(): AsyncIterable<EnumeratedRecord> {
    const st = this.state();
    const { cfg } = st;
    const client = await st.main.get();
    const pages = client.searchPaginated(cfg.baseDn, {
      scope: "sub",
      filter: enumerateFilter(cfg),
      attributes: enumerateAttributes(cfg),
      timeLimit: 3600,
      derefAliases: cfg.deref,
      paged: { pageSize: 500 },
    });
    for await (const page of pages) {
      for (const entry of page.searchEntries) {
        const home = homeWithMailroot(cfg, first(entry, cfg.homeAttr) ?? "");
        if (!home) continue;
        const uidValue = first(entry, cfg.uidAttr);
        const gidValue = first(entry, cfg.gidAttr);
        const rec = {
          uid: uidValue !== undefined ? atoi(uidValue) : (cfg.globUid ?? 0),
          gid: gidValue !== undefined ? atoi(gidValue) : (cfg.globGid ?? 0),
          home,
          maildir: first(entry, cfg.maildirAttr),
          options: auxOptions(cfg, entry),
        };
        for (const name of values(entry, cfg.mailAttr)) yield { name, ...rec };
      }
    }
  }

  idle(): void {
    this.dropConnections();
  }

  close(): void {
    this.dropConnections();
  }
}

/** A simple bind as `dn`: true when accepted, false when the server refuses the credentials. */
async function bindAs(c: Client, dn: string, password: string): Promise<boolean> {
  try {
    await c.bind(dn, password);
    return true;
  } catch (e) {
    if (isConnectionError(e)) throw e;
    return false;
  }
}
