// Which authmodulelist names this daemon can load. authuserdb, authpwd, authshadow, authpam
// and authcustom are built in; authldap,
// authmysql and authpgsql come from their own packages (@courier-imap/auth-ldap, …) when
// those are installed; everything else is logged once at start and skipped, as Courier
// skips a lib<name>.so that is not installed.

import type { AuthModule, ModuleLogger } from "@courier-imap/authlib";
import type { Settings } from "../settings.js";

type Factory = (settings: Settings, log: ModuleLogger) => AuthModule | Promise<AuthModule>;

const BUILTIN: Record<string, Factory> = {
  // Loaded lazily so that the supervisor, which only reports modules, never opens lmdb.
  authuserdb: async (s, log) => new (await import("./authuserdb.js")).AuthUserdb(s.userdb, log),
  authpwd: async (_s, log) => new (await import("./authpwd.js")).AuthPwd(log),
  authshadow: async (_s, log) => new (await import("./authshadow.js")).AuthShadow(log),
  authpam: async (_s, log) => new (await import("./authpam.js")).AuthPam(log),
  authcustom: async (s, log) => (await import("./authcustom.js")).loadAuthCustom(s.custom, s, log),
};

/** Names of the modules compiled into this build. */
export const BUILTIN_MODULES = Object.keys(BUILTIN);

/** The separately packaged modules, with whether each is installed here. */
export async function packagedModules(): Promise<{ name: string; installed: boolean }[]> {
  const out = [];
  for (const name of PACKAGED) out.push({ name, installed: (await loadPackaged(name)) !== undefined });
  return out;
}

const PACKAGED = new Set(["authldap", "authmysql", "authpgsql"]);

interface PackagedModule {
  createAuthModule(settings: Settings, log: ModuleLogger): AuthModule | Promise<AuthModule>;
}

async function loadPackaged(name: string): Promise<Factory | undefined> {
  if (!PACKAGED.has(name)) return undefined;
  const pkg = `@courier-imap/auth-${name.slice(4)}`;
  try {
    const m = (await import(pkg)) as PackagedModule;
    return typeof m.createAuthModule === "function" ? m.createAuthModule : undefined;
  } catch {
    return undefined;
  }
}

async function factoryFor(name: string): Promise<Factory | undefined> {
  return BUILTIN[name] ?? (await loadPackaged(name));
}

/** Logs one line per configured module saying whether it is available (used by the supervisor). */
export async function reportModules(names: string[], log: ModuleLogger): Promise<void> {
  for (const name of names) {
    if (await factoryFor(name)) log.info(`Installation complete: ${name}`);
    else if (name === "authcram")
      log.info("authcram: merged into authuserdb (CRAM-MD5/SHA1/SHA256), skipped");
    else log.info(`${name}: module not available in this installation, skipped`);
  }
}

/** Instantiates the available modules in authmodulelist order; unavailable ones are skipped. */
export async function loadModules(settings: Settings, log: ModuleLogger): Promise<AuthModule[]> {
  const out: AuthModule[] = [];
  for (const name of settings.modules) {
    const f = await factoryFor(name);
    if (!f) continue;
    try {
      out.push(await f(settings, log));
    } catch (e) {
      log.err(`${name}: cannot initialise: ${(e as Error).message}`);
    }
  }
  return out;
}
