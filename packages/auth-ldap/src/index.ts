// @courier-imap/auth-ldap: the authldap module, loaded by authdaemond when this package is
// installed and authmodulelist names authldap (authdaemond's modules/registry.ts).
//
// Where the settings come from: authldaprc is $AUTHLDAPRC, else AUTHLDAPRC in authdaemonrc,
// else the file `authldaprc` beside authdaemonrc (/etc/courier/authldaprc, as Courier). The
// LDAP client's own settings (LDAPTLS_CACERT, …) come from the environment, else from
// authdaemonrc (which Courier's startup script exports), else from ldap.conf.

import { dirname, join } from "node:path";
import type { AuthModule, ModuleLogger } from "@courier-imap/authlib";
import { AuthLdap } from "./authldap.js";
import { readDaemonRc } from "./daemonrc.js";

export { AuthLdap } from "./authldap.js";
export { buildConfig, type LdapConfig } from "./config.js";
export { escapeFilterValue } from "./filter.js";

/** The part of authdaemond's settings this module reads. */
export interface DaemonSettings {
  configFile?: string;
}

export function authldaprcPath(settings: DaemonSettings, env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUTHLDAPRC) return env.AUTHLDAPRC;
  const fromRc = readDaemonRc(settings.configFile).get("AUTHLDAPRC");
  if (fromRc) return fromRc;
  return join(settings.configFile ? dirname(settings.configFile) : "/etc/courier", "authldaprc");
}

export function createAuthModule(settings: DaemonSettings, log: ModuleLogger): AuthModule {
  const rc = readDaemonRc(settings.configFile);
  const env = (name: string) => process.env[name] ?? rc.get(name);
  return new AuthLdap(authldaprcPath(settings), env, log);
}
