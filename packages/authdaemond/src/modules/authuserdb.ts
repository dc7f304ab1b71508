// authuserdb (spec/userdb.md §4, spec/auth-modules.md §1): accounts from the compiled userdb.
// Passwords come from the shadow DB only: `<service>pw`, else `systempw`; CRAM secrets
// `<service>-hmac-<alg>pw`, else `hmac-<alg>pw`.

import {
  ACCEPT,
  type AuthModule,
  type AuthRecord,
  checkCram,
  checkPassword,
  type EnumeratedRecord,
  type ModuleLogger,
  type ModuleResult,
  type PasswdResult,
  parseCramRequest,
  parseLoginData,
  REJECT,
} from "@courier-imap/authlib";
import { asAccount, type Fields, type UserdbAccount, UserdbReader } from "@courier-imap/userdb";
import { type UserdbTools, userdbPasswd } from "./userdb-passwd.js";
import { userdbScram } from "./userdb-scram.js";

export class AuthUserdb implements AuthModule {
  readonly name = "authuserdb";
  private reader: UserdbReader;

  constructor(
    private readonly userdbPath: string,
    private readonly log: ModuleLogger,
    private readonly tools: UserdbTools = {},
  ) {
    this.reader = new UserdbReader(userdbPath);
  }

  private account(userid: string): UserdbAccount | undefined {
    this.log.debug(`userdb: looking up '${userid}'`);
    const fields = this.reader.lookup(userid);
    const acct = fields && asAccount(fields);
    if (!acct) this.log.debug(`userdb: '${userid}' not found`);
    return acct;
  }

  private passwordFor(service: string, userid: string): string | undefined {
    const shadow: Fields | undefined = this.reader.lookupShadow(userid);
    return shadow?.get(`${service}pw`) ?? shadow?.get("systempw");
  }

  private record(userid: string, a: UserdbAccount, extra: Partial<AuthRecord>): AuthRecord {
    const f = a.fields;
    return {
      uid: a.uid,
      gid: a.gid,
      home: a.home,
      address: userid,
      name: f.get("gecos"),
      maildir: f.get("mail"),
      quota: f.get("quota"),
      options: f.get("options"),
      ...extra,
    };
  }

  async pre(service: string, userid: string): Promise<ModuleResult> {
    const a = this.account(userid);
    if (!a) return REJECT();
    return ACCEPT(this.record(userid, a, { passwd: this.passwordFor(service, userid) }));
  }

  async auth(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype === "login") return this.login(service, authdata);
    if (authtype.startsWith("cram-")) return this.cram(service, authtype, authdata);
    if (authtype === "scram-sha-256")
      return userdbScram(
        service,
        authdata,
        {
          shadow: (u) => this.reader.lookupShadow(u),
          record: (u) => {
            const a = this.account(u);
            return a && this.record(u, a, {});
          },
        },
        this.log,
      );
    return REJECT(`unsupported authtype ${authtype}`);
  }

  private async login(service: string, authdata: string): Promise<ModuleResult> {
    const creds = parseLoginData(authdata);
    if (!creds) return REJECT("malformed login data");
    const a = this.account(creds.userid);
    if (!a) return REJECT();
    const stored = this.passwordFor(service, creds.userid);
    if (stored === undefined) {
      this.log.debug("userdb: no password available to compare");
      return REJECT();
    }
    if (!(await checkPassword(creds.password, stored))) {
      this.log.debug("supplied password does not match encrypted password");
      this.log.debug(
        `supplied password '${creds.password}' does not match encrypted password '${stored}'`,
        2,
      );
      return REJECT();
    }
    this.log.debug("password matches successfully");
    return ACCEPT(this.record(creds.userid, a, { passwd: stored, passwd2: creds.password }));
  }

  private async cram(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    const req = parseCramRequest(authtype, authdata);
    if (!req) return REJECT("malformed CRAM request");
    const a = this.account(req.userid);
    if (!a) return REJECT();
    const shadow = this.reader.lookupShadow(req.userid);
    const secret = shadow?.get(`${service}-hmac-${req.alg}pw`) ?? shadow?.get(`hmac-${req.alg}pw`);
    if (secret === undefined || !checkCram(req.alg, secret, req.challenge, req.digest)) {
      this.log.debug(`userdb: ${authtype} verification failed for '${req.userid}'`);
      return REJECT();
    }
    const f = a.fields;
    return ACCEPT({
      uid: a.uid,
      gid: a.gid,
      home: a.home,
      address: req.userid,
      maildir: f.get("mail"),
      options: f.get("options"),
    });
  }

  passwd(service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    return userdbPasswd(
      this.reader,
      this.userdbPath,
      this.log,
      { service, userid, oldpass, newpass },
      this.tools,
    );
  }

  *enumerate(): Generator<EnumeratedRecord> {
    for (const [name, a] of this.reader.enumerate())
      yield {
        name,
        uid: a.uid,
        gid: a.gid,
        home: a.home,
        maildir: a.fields.get("mail"),
        options: a.fields.get("options"),
      };
  }

  idle(): void {
    this.reader.close();
  }

  close(): void {
    this.reader.close();
  }
}
