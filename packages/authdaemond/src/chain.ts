// Runs one parsed request through the module chain (spec/authdaemon-protocol.md §3, §5) and
// returns the reply bytes, or null for "close without a reply" (TEMPFAIL or a module error).

import {
  type AuthModule,
  formatRecord,
  type ModuleResult,
  mergeDefaultOptions,
  type PasswdResult,
  type Request,
  UnsafeValueError,
} from "@courier-imap/authlib";
import type { Logger } from "./log.js";

export interface ChainContext {
  modules: AuthModule[];
  defaultOptions: string;
  log: Logger;
}

async function tryModule(
  m: AuthModule,
  call: () => Promise<ModuleResult>,
  log: Logger,
): Promise<ModuleResult> {
  log.debug(`${m.name}: trying this module`);
  let r: ModuleResult;
  try {
    r = await call();
  } catch (e) {
    log.err(`${m.name}: ${(e as Error).message}`);
    r = { result: "tempfail", reason: (e as Error).message };
  }
  if (r.result === "reject") log.debug(`${m.name}: REJECT - try next module`);
  if (r.result === "tempfail") log.debug(`${m.name}: TEMPFAIL - no more modules will be tried`);
  return r;
}

async function runChain(
  ctx: ChainContext,
  modules: AuthModule[],
  call: (m: AuthModule) => Promise<ModuleResult>,
): Promise<string | null> {
  for (const m of modules) {
    const r = await tryModule(m, () => call(m), ctx.log);
    if (r.result === "reject") continue;
    if (r.result === "tempfail") return null;
    if (r.result === "data") {
      if (r.lines.some((l) => /[\n\0]/.test(l))) {
        ctx.log.err(`${m.name}: step data with a newline or NUL, not sent`);
        return null;
      }
      return `${r.lines.map((l) => `${l}\n`).join("")}FAIL\n`;
    }
    const rec = { ...r.record, options: mergeDefaultOptions(r.record.options, ctx.defaultOptions) };
    try {
      const out = formatRecord(rec);
      ctx.log.debug(
        `Authenticated: sysusername=${rec.username ?? "<null>"}, sysuserid=${rec.uid ?? "<null>"}, sysgroupid=${rec.gid}, homedir=${rec.home}, address=${rec.address ?? "<null>"}, fullname=${rec.name ?? "<null>"}, maildir=${rec.maildir ?? "<null>"}, quota=${rec.quota ?? "<null>"}, options=${rec.options || "<null>"}`,
      );
      ctx.log.debug(
        `Authenticated: clearpasswd=${rec.passwd2 ?? "<null>"}, passwd=${rec.passwd ?? "<null>"}`,
        2,
      );
      return out;
    } catch (e) {
      if (!(e instanceof UnsafeValueError)) throw e;
      ctx.log.err(`${m.name}: ${e.message} (account ${JSON.stringify(rec.address ?? "")})`);
      return null;
    }
  }
  ctx.log.debug("FAIL, all modules rejected");
  return "FAIL\n";
}

async function enumerate(ctx: ChainContext): Promise<string> {
  let out = "";
  for (const m of ctx.modules) {
    if (!m.enumerate) continue;
    out += `# ${m.name}\n\n`;
    try {
      for await (const r of m.enumerate()) {
        const fields = [r.name, String(r.uid), String(r.gid), r.home, r.maildir ?? ""];
        fields.push(mergeDefaultOptions(r.options, ctx.defaultOptions));
        if (fields.some((f) => /[\t\n\0]/.test(f))) {
          ctx.log.err(
            `${m.name}: account ${JSON.stringify(r.name)} has a TAB or newline in a field, not listed`,
          );
          continue;
        }
        out += `${fields.join("\t")}\n`;
      }
    } catch (e) {
      ctx.log.err(`${m.name}: enumeration failed: ${(e as Error).message}`);
      return out; // no final "." tells the client the listing is incomplete
    }
  }
  return `${out}.\n`;
}

/** Modules that can change passwords, in order: ok → OK, reject → next, fail or error → FAIL. */
async function passwd(
  ctx: ChainContext,
  req: { service: string; userid: string; oldpass: string; newpass: string },
): Promise<string> {
  for (const m of ctx.modules) {
    if (!m.passwd) continue;
    ctx.log.debug(`${m.name}: trying this module`);
    let r: PasswdResult;
    try {
      r = await m.passwd(req.service, req.userid, req.oldpass, req.newpass);
    } catch (e) {
      ctx.log.err(`${m.name}: ${(e as Error).message}`);
      r = "fail";
    }
    if (r === "ok") return "OK\n";
    if (r === "fail") {
      ctx.log.debug(`${m.name}: password change failed`);
      return "FAIL\n";
    }
    ctx.log.debug(`${m.name}: REJECT - try next module`);
  }
  ctx.log.debug("FAIL, all modules rejected");
  return "FAIL\n";
}

export async function handleRequest(req: Request, ctx: ChainContext): Promise<string | null> {
  const { log } = ctx;
  switch (req.cmd) {
    case "PRE": {
      log.debug(`received userid lookup request: ${req.userid}`);
      const modules = req.module === "." ? ctx.modules : ctx.modules.filter((m) => m.name === req.module);
      return runChain(ctx, modules, (m) => m.pre(req.service, req.userid));
    }
    case "AUTH":
      log.debug(`received auth request, service=${req.service}, authtype=${req.authtype}`);
      return runChain(ctx, ctx.modules, (m) => m.auth(req.service, req.authtype, req.authdata, req.meta));
    case "PASSWD":
      log.debug(`received password change request, service=${req.service}, userid=${req.userid}`);
      return passwd(ctx, req);
    case "PASSWD_INVALID":
      return "FAIL\n";
    case "ENUMERATE":
      return enumerate(ctx);
  }
}
