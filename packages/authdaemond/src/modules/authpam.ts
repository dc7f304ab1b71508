// authpam (spec/auth-modules.md §5): the account must be known to NSS, then PAM decides,
// with PAM service = the request's service (imap, pop3, webmail, login for authtest…) and
// PAM_RHOST = TCPREMOTEIP. The transaction runs on a worker thread (system/pam.ts).

import {
  ACCEPT,
  type AuthModule,
  type ModuleLogger,
  type ModuleResult,
  type PasswdResult,
  parseLoginData,
  REJECT,
  type RequestMeta,
} from "@courier-imap/authlib";
import { getpwnam, getspnam, type Passwd } from "../system/libc.js";
import { runPam } from "../system/pam.js";
import { systemEnumerate, systemPasswd, systemRecord } from "./system-common.js";

export class AuthPam implements AuthModule {
  readonly name = "authpam";

  constructor(private readonly log: ModuleLogger) {}

  private storedHash(userid: string, pw: Passwd): string {
    try {
      return getspnam(userid)?.passwd ?? pw.passwd;
    } catch {
      return pw.passwd;
    }
  }

  async pre(_service: string, userid: string): Promise<ModuleResult> {
    const pw = getpwnam(userid);
    return pw ? ACCEPT(systemRecord(userid, pw, this.storedHash(userid, pw))) : REJECT();
  }

  private async pamCheck(service: string, user: string, password: string, rhost?: string): Promise<boolean> {
    this.log.debug(`pam_service=${service}, pam_username=${user}`);
    const r = await runPam({ op: "authenticate", service, user, password, rhost });
    for (const n of r.notes) this.log.info(`authpam: ${n}`);
    if (r.ok) {
      this.log.debug("dopam successful");
      return true;
    }
    this.log.debug(`${r.step} failed, result ${r.message}`);
    return false;
  }

  async auth(service: string, authtype: string, authdata: string, meta?: RequestMeta): Promise<ModuleResult> {
    if (authtype !== "login") {
      this.log.debug("authpam only handles authtype=login");
      return REJECT();
    }
    const creds = parseLoginData(authdata);
    if (!creds) return REJECT("malformed login data");
    const pw = getpwnam(creds.userid);
    if (!pw) return REJECT();
    if (!(await this.pamCheck(service, creds.userid, creds.password, meta?.TCPREMOTEIP))) return REJECT();
    return ACCEPT(systemRecord(creds.userid, pw, this.storedHash(creds.userid, pw), creds.password));
  }

  passwd(service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    return systemPasswd(this.log, userid, oldpass, newpass, () => this.pamCheck(service, userid, oldpass));
  }

  enumerate = systemEnumerate;
}
