// authmysql (spec/auth-modules.md §8): loaded by authdaemond when this package is installed
// and `authmysql` is in authmodulelist. Settings: $AUTHMYSQLRC, else authmysqlrc beside
// authdaemonrc. The logic is @courier-imap/auth-sql's; this package is the mysql2 driver.

import { createSqlAuthModule, type SqlBackend } from "@courier-imap/auth-sql";
import type { AuthModule, ModuleLogger } from "@courier-imap/authlib";
import type { ConnectionOptions } from "mysql2";
import { connectMysql, isMysqlConnectionError } from "./mysql-session.js";
import { readMysqlConnection } from "./mysql-settings.js";

export const MYSQL_BACKEND: SqlBackend<ConnectionOptions> = {
  moduleName: "authmysql",
  prefix: "MYSQL",
  readConnection: readMysqlConnection,
  connect: (options) => connectMysql(options),
  isConnectionError: isMysqlConnectionError,
};

export function createAuthModule(settings: { configFile?: string }, log: ModuleLogger): AuthModule {
  return createSqlAuthModule(MYSQL_BACKEND, settings, log);
}

export { readMysqlConnection } from "./mysql-settings.js";
