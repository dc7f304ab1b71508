// The daemon's settings: authdaemonrc, then the environment (spec/authdaemon-protocol.md §10).
//
//   authmodulelist   modules to try, in order (default "authuserdb")   re-read on SIGHUP
//   daemons          number of child processes (default 1)             re-read on SIGHUP
//   authdaemonvar    directory of the socket <authdaemonvar>/socket    (our addition)
//                    default: env AUTHDAEMONVAR, else /run/courier/authdaemon
//   USERDB           userdb source path; authuserdb reads USERDB.dat   (our addition)
//                    default: env USERDB, else /etc/courier/userdb
//   AUTHCUSTOM       path of the site's authcustom module file             (our addition)
//   DEBUG_LOGIN      0, 1 (debug), 2 (debug + passwords); the environment wins over the file
//   DEFAULTOPTIONS   options merged into every reply; the environment wins over the file

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, parseAuthdaemonrc } from "./rcfile.js";

export interface Settings {
  configFile: string;
  modules: string[];
  daemons: number;
  authdaemonvar: string;
  userdb: string;
  custom: string;
  loggerOpts: string;
  debugLogin: number;
  defaultOptions: string;
}

export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUTHDAEMONRC || "/etc/courier/authdaemonrc";
}

export function socketPath(s: Pick<Settings, "authdaemonvar">): string {
  return join(s.authdaemonvar, "socket");
}

/** Reads and parses the config file; `warnings` gets Courier's non-fatal complaints. */
export function loadSettings(
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
  warnings: string[] = [],
): Settings {
  let text: string;
  try {
    text = readFileSync(configFile, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read ${configFile}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const rc = parseAuthdaemonrc(text, configFile);
  const daemons = Number.parseInt(rc.get("daemons") ?? "", 10);
  if (!(daemons > 0)) warnings.push("Configuration error - missing 'daemons' setting, using 1");
  const pick = (name: string, envFirst: boolean) =>
    envFirst ? (env[name] ?? rc.get(name)) : (rc.get(name) ?? env[name]);
  return {
    configFile,
    modules: (rc.get("authmodulelist") ?? "authuserdb").split(/\s+/).filter(Boolean),
    daemons: daemons > 0 ? daemons : 1,
    authdaemonvar: rc.get("authdaemonvar") || env.AUTHDAEMONVAR || "/run/courier/authdaemon",
    userdb: pick("USERDB", false) || "/etc/courier/userdb",
    custom: pick("AUTHCUSTOM", false) ?? "",
    loggerOpts: pick("LOGGEROPTS", true) ?? "",
    debugLogin: Number.parseInt(pick("DEBUG_LOGIN", true) ?? "0", 10) || 0,
    defaultOptions: pick("DEFAULTOPTIONS", true) ?? "",
  };
}
