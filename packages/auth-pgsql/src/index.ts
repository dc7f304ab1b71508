// authpgsql (spec/auth-modules.md §9): loaded by authdaemond when this package is installed
// and `authpgsql` is in authmodulelist. Settings: $AUTHPGSQLRC, else authpgsqlrc beside
// authdaemonrc. The logic is @courier-imap/auth-sql's; this package is the pg driver.

import { createSqlAuthModule, type SqlBackend, SqlSettingsError } from "@courier-imap/auth-sql";
import type { AuthModule, ModuleLogger } from "@courier-imap/authlib";
import type { ClientConfig } from "pg";
import { conninfoToConfig } from "./conninfo.js";
import { connectPg, isPgConnectionError } from "./pgsql-session.js";

export const PGSQL_BACKEND: SqlBackend<ClientConfig> = {
  moduleName: "authpgsql",
  prefix: "PGSQL",
  readConnection(rc, file, log) {
    const conninfo = rc.get("PGSQL_CONNECTION");
    if (!conninfo) throw new SqlSettingsError(`${file}: PGSQL_CONNECTION is not set`);
    const charset = rc.get("PGSQL_CHARACTER_SET");
    if (charset && !/^(utf-?8|unicode)$/i.test(charset))
      log.err(
        `authpgsql: PGSQL_CHARACTER_SET ${charset} ignored: the driver speaks UTF8, the server converts`,
      );
    return conninfoToConfig(conninfo, log);
  },
  connect: (config) => connectPg(config),
  isConnectionError: isPgConnectionError,
};

export function createAuthModule(settings: { configFile?: string }, log: ModuleLogger): AuthModule {
  return createSqlAuthModule(PGSQL_BACKEND, settings, log);
}

export { conninfoToConfig, parseConninfo } from "./conninfo.js";
