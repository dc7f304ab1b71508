// authcustom: a site's own module, loaded from the JavaScript file named by AUTHCUSTOM in
// authdaemonrc (see README.md, "authcustom"). The file exports either
//   lookup(userid, service) → { record, clearPassword?, cryptPassword? } | undefined
// and the daemon does login/CRAM checks as Courier's authcustom does around its stub, or the
// full module interface (pre, auth, and optionally passwd, enumerate, idle, close), or
// createAuthModule(settings, log) returning one. A thrown error is a temporary failure.

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ACCEPT,
  type AuthModule,
  type AuthRecord,
  checkCram,
  checkPassword,
  cramSecret,
  type ModuleLogger,
  type ModuleResult,
  parseCramRequest,
  parseLoginData,
  REJECT,
  safeEqual,
} from "@courier-imap/authlib";

export interface CustomLookup {
  record: AuthRecord;
  clearPassword?: string;
  cryptPassword?: string;
}

type LookupFn = (
  userid: string,
  service: string,
) => CustomLookup | undefined | Promise<CustomLookup | undefined>;

interface CustomExports extends Partial<Omit<AuthModule, "name">> {
  lookup?: LookupFn;
  createAuthModule?: (settings: unknown, log: ModuleLogger) => AuthModule | Promise<AuthModule>;
  default?: CustomExports;
}

class LookupModule implements AuthModule {
  readonly name = "authcustom";

  constructor(
    private readonly lookup: LookupFn,
    private readonly log: ModuleLogger,
  ) {}

  async pre(service: string, userid: string): Promise<ModuleResult> {
    const r = await this.lookup(userid, service);
    if (!r) return REJECT();
    return ACCEPT({ address: userid, ...r.record, passwd: r.cryptPassword, passwd2: r.clearPassword });
  }

  async auth(service: string, authtype: string, authdata: string): Promise<ModuleResult> {
    if (authtype === "login") {
      const creds = parseLoginData(authdata);
      if (!creds) return REJECT("malformed login data");
      const r = await this.lookup(creds.userid, service);
      if (!r) return REJECT();
      const ok =
        r.clearPassword !== undefined && r.clearPassword !== ""
          ? safeEqual(creds.password, r.clearPassword)
          : r.cryptPassword !== undefined && (await checkPassword(creds.password, r.cryptPassword));
      if (!ok) {
        this.log.debug("supplied password does not match encrypted password");
        return REJECT();
      }
      this.log.debug("password matches successfully");
      return ACCEPT({
        address: creds.userid,
        ...r.record,
        passwd: r.cryptPassword,
        passwd2: creds.password,
      });
    }
    const cram = parseCramRequest(authtype, authdata);
    if (!cram) return REJECT(`unsupported authtype ${authtype}`);
    const r = await this.lookup(cram.userid, service);
    if (!r?.clearPassword) return REJECT();
    if (!checkCram(cram.alg, cramSecret(cram.alg, r.clearPassword), cram.challenge, cram.digest))
      return REJECT();
    return ACCEPT({ address: cram.userid, ...r.record });
  }
}

function adopt(m: Partial<AuthModule>, file: string): AuthModule {
  if (typeof m.pre !== "function" || typeof m.auth !== "function")
    throw new Error(`${file} exports neither lookup() nor pre() and auth()`);
  const bound = <K extends keyof AuthModule>(k: K) =>
    typeof m[k] === "function" ? (m[k] as (...a: unknown[]) => unknown).bind(m) : undefined;
  return {
    name: "authcustom",
    pre: bound("pre") as AuthModule["pre"],
    auth: bound("auth") as AuthModule["auth"],
    passwd: bound("passwd") as AuthModule["passwd"],
    enumerate: bound("enumerate") as AuthModule["enumerate"],
    idle: bound("idle") as AuthModule["idle"],
    close: bound("close") as AuthModule["close"],
  };
}

export async function loadAuthCustom(
  file: string,
  settings: unknown,
  log: ModuleLogger,
): Promise<AuthModule> {
  if (!file) throw new Error("AUTHCUSTOM is not set in authdaemonrc (path of the site's module file)");
  if (!isAbsolute(file)) throw new Error(`AUTHCUSTOM must be an absolute path, not ${file}`);
  let mod: CustomExports;
  try {
    mod = (await import(pathToFileURL(file).href)) as CustomExports;
  } catch (e) {
    throw new Error(`cannot load ${file}: ${(e as Error).message}`);
  }
  const m = typeof mod.default === "object" && mod.default !== null ? { ...mod.default, ...mod } : mod;
  if (typeof m.createAuthModule === "function") return adopt(await m.createAuthModule(settings, log), file);
  if (typeof m.lookup === "function") return new LookupModule(m.lookup, log);
  return adopt(m, file);
}
