// authpwd (spec/auth-modules.md §3): getpwnam() through NSS, hash = pw_passwd.

import {
  ACCEPT,
  type AuthModule,
  type ModuleLogger,
  type ModuleResult,
  type PasswdResult,
  parseLoginData,
  REJECT,
} from "@courier-imap/authlib";
import { getpwnam } from "../system/libc.js";
import { systemEnumerate, systemPasswd, systemRecord, verify } from "./system-common.js";

export class AuthPwd implements AuthModule {
  readonly name = "authpwd";

  constructor(private readonly log: ModuleLogger) {}

  async pre(_service: string, userid: string): Promise<ModuleResult> {
    const pw = getpwnam(userid);
    return pw ? ACCEPT(systemRecord(userid, pw, pw.passwd)) : REJECT();
  }

  async auth(_service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype !== "login") return REJECT(`authpwd only handles authtype=login`);
    const creds = parseLoginData(authdata);
    if (!creds) return REJECT("malformed login data");
    const pw = getpwnam(creds.userid);
    if (!pw) return REJECT();
    if (!(await verify(this.log, creds.password, pw.passwd))) return REJECT();
    return ACCEPT(systemRecord(creds.userid, pw, pw.passwd, creds.password));
  }

  passwd(_service: string, userid: string, oldpass: string, newpass: string): Promise<PasswdResult> {
    return systemPasswd(this.log, userid, oldpass, newpass, (pw) => verify(this.log, oldpass, pw.passwd));
  }

  enumerate = systemEnumerate;
}
