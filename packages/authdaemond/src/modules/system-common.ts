// What authpwd, authshadow and authpam share (spec/auth-modules.md §3-6): the record built
// from a passwd entry, enumeration of getpwent() accounts with uid >= 100, and the system
// password change.

import {
  type AuthRecord,
  checkPassword,
  type EnumeratedRecord,
  type ModuleLogger,
  type PasswdResult,
} from "@courier-imap/authlib";
import { allPasswd, getpwnam, type Passwd } from "../system/libc.js";
import { runPam } from "../system/pam.js";

export function systemRecord(login: string, pw: Passwd, passwd: string, passwd2?: string): AuthRecord {
  return {
    username: login,
    gid: pw.gid,
    home: pw.dir,
    address: login,
    name: pw.gecos || undefined,
    passwd,
    passwd2,
  };
}

export function* systemEnumerate(): Generator<EnumeratedRecord> {
  for (const p of allPasswd()) if (p.uid >= 100) yield { name: p.name, uid: p.uid, gid: p.gid, home: p.dir };
}

/** Checks `password` against `stored`, logging Courier's messages. */
export async function verify(log: ModuleLogger, password: string, stored: string): Promise<boolean> {
  if (await checkPassword(password, stored)) {
    log.debug("password matches successfully");
    return true;
  }
  log.debug("supplied password does not match encrypted password");
  log.debug(`supplied password '${password}' does not match encrypted password '${stored}'`, 2);
  return false;
}

/**
 * Courier runs `passwd` as the user through an expect script. We are root, so we check the
 * old password ourselves (`checkOld`) and then let the PAM "passwd" stack set the new one
 * (pam_chauthtok), which writes whatever the system uses (shadow, LDAP via PAM, …).
 */
export async function systemPasswd(
  log: ModuleLogger,
  userid: string,
  oldpass: string,
  newpass: string,
  checkOld: (pw: Passwd) => Promise<boolean>,
): Promise<PasswdResult> {
  if (userid.includes("@")) return "reject";
  const pw = getpwnam(userid);
  if (!pw) return "reject";
  if (!(await checkOld(pw))) return "reject";
  const r = await runPam({
    op: "chauthtok",
    service: "passwd",
    user: userid,
    password: oldpass,
    newPassword: newpass,
  });
  for (const n of r.notes) log.info(`passwd: ${n}`);
  if (r.ok) {
    log.info(`password changed for ${userid}`);
    return "ok";
  }
  log.err(`password change for ${userid} failed: ${r.step}: ${r.message}`);
  return "fail";
}
