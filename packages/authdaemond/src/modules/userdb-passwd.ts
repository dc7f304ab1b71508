// PASSWD through authuserdb (spec/userdb.md §10): verify the old password against
// `<service>pw`/`systempw`, store the new hash with `userdb <loc><user> set <field>=…`,
// update matching CRAM secrets the same way, then run makeuserdb. Courier always writes a
// `$1$` hash; we keep a `$6$` or `$y$` account on its scheme instead of downgrading it.

import { spawn } from "node:child_process";
import {
  checkPassword,
  cramSecret,
  type ModuleLogger,
  makeSha512Crypt,
  makeYescrypt,
  md5Crypt,
  type PasswdResult,
} from "@courier-imap/authlib";
import type { UserdbReader } from "@courier-imap/userdb";

const BIN = new URL("../../../../../bin/", import.meta.url);

export interface UserdbTools {
  /** Directory holding the userdb and makeuserdb launchers (default: this repository's bin/). */
  binDir?: string;
}

function runTool(tool: string, args: string[], userdbPath: string, binDir?: string): Promise<number> {
  const file = binDir ? `${binDir}/${tool}` : new URL(tool, BIN).pathname;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [file, ...args], {
      env: { ...process.env, USERDB: userdbPath },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("error", () => resolve(127));
    p.on("close", (code) => {
      if (code !== 0) process.stderr.write(`ERR: ${tool}: ${err.trim().split("\n")[0] ?? ""}\n`);
      resolve(code ?? 1);
    });
  });
}

async function newHash(oldHash: string, password: string): Promise<string> {
  if (oldHash.startsWith("$y$")) return makeYescrypt(password);
  if (oldHash.startsWith("$6$")) return makeSha512Crypt(password);
  return md5Crypt(password);
}

const FORBIDDEN = /[\x00-\x1f|='"]/;

export async function userdbPasswd(
  reader: UserdbReader,
  userdbPath: string,
  log: ModuleLogger,
  req: { service: string; userid: string; oldpass: string; newpass: string },
  tools: UserdbTools = {},
): Promise<PasswdResult> {
  const { service, userid, oldpass, newpass } = req;
  if ([service, userid, oldpass, newpass].some((f) => FORBIDDEN.test(f)) || userid.includes("/"))
    return "reject";
  const shadow = reader.lookupShadow(userid);
  if (!shadow) return "reject";
  const main = reader.lookup(userid);
  if (!main) return "fail";
  const target = `${main.get("_") ?? ""}${userid}`;
  const set = async (field: string, value: string) => {
    log.debug(`userdb: ${target} set ${field}`);
    log.debug(`userdb ${target} set ${field}=${value}`, 2);
    return (await runTool("userdb", [target, "set", `${field}=${value}`], userdbPath, tools.binDir)) === 0;
  };

  let changed = false;
  const field = shadow.has(`${service}pw`) ? `${service}pw` : "systempw";
  const stored = shadow.get(field);
  if (stored !== undefined && (await checkPassword(oldpass, stored))) {
    if (!(await set(field, await newHash(stored, newpass)))) return "fail";
    changed = true;
  }
  for (const alg of ["md5", "sha1", "sha256"] as const) {
    for (const name of [`${service}-hmac-${alg}pw`, `hmac-${alg}pw`]) {
      if (shadow.get(name) !== cramSecret(alg, oldpass)) continue;
      if (!(await set(name, cramSecret(alg, newpass)))) return "fail";
      changed = true;
    }
  }
  if (!changed) return "reject";
  if ((await runTool("makeuserdb", [], userdbPath, tools.binDir)) !== 0) return "fail";
  log.info(`userdb: password changed for ${userid}`);
  return "ok";
}
