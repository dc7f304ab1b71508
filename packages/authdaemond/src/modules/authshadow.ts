// authshadow (spec/auth-modules.md §4): getpwnam() + getspnam() through NSS, hash from the
// shadow entry, expired accounts and expired passwords rejected.

import {
  ACCEPT,
  type AuthModule,
  type ModuleLogger,
  type ModuleResult,
  type PasswdResult,
  parseLoginData,
  REJECT,
} from "@courier-imap/authlib";
import { getpwnam, getspnam, type Passwd, type Shadow } from "../system/libc.js";
import { systemEnumerate, systemPasswd, systemRecord, verify } from "./system-common.js";

const today = () => Math.floor(Date.now() / 86_400_000);

export class AuthShadow implements AuthModule {
  readonly name = "authshadow";

  constructor(private readonly log: ModuleLogger) {}

  private lookup(userid: string): { pw: Passwd; sp: Shadow } | undefined {
    const pw = getpwnam(userid);
    const sp = pw && getspnam(userid);
    if (!pw || !sp) return undefined;
    if (sp.expire > 0 && today() > sp.expire) {
      this.log.debug(`authshadow: account ${userid} expired`);
      return undefined;
    }
    if (sp.lastChange !== -1 && sp.max !== -1 && sp.lastChange + sp.max < today()) {
      this.log.debug(`authshadow: password of ${userid} expired`);
      return undefined;
    }
    return { pw, sp };
  }

  async pre(_service: string, userid: string): Promise<ModuleResult> {
    const a = this.lookup(userid);
    return a ? ACCEPT(systemRecord(userid, a.pw, a.sp.passwd)) : REJECT();
  }

  async auth(_service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype !== "login") return REJECT(`authshadow only handles authtype=login`);
    const creds = parseLoginData(authdata);
    if (!creds) return REJECT("malformed login data");
    const a = this.lookup(creds.userid);
    if (!a) return REJECT();
    if (!(await verify(this.log, creds.password, a.sp.passwd))) return REJECT();
    return ACCEPT(systemRecord(creds.userid, a.pw, a.sp.passwd, creds.password));
  }

  passwd(_service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    return systemPasswd(this.log, userid, oldpass, newpass, async () => {
      const a = this.lookup(userid);
      return a !== undefined && (await verify(this.log, oldpass, a.sp.passwd));
    });
  }

  enumerate = systemEnumerate;
}
