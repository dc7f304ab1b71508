// authmysqlrc's connection settings (spec/auth-modules.md §8.1) as mysql2 connection options.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SqlSettingsError, TIMEOUTS } from "@courier-imap/auth-sql";
import type { ModuleLogger } from "@courier-imap/authlib";
import mysql, { type ConnectionOptions } from "mysql2";

/** libmysqlclient client_flag bits (MYSQL_OPT) that mysql2 can honour, by name. */
const CLIENT_FLAGS: [number, string][] = [
  [0x2, "FOUND_ROWS"],
  [0x4, "LONG_FLAG"],
  [0x10, "NO_SCHEMA"],
  [0x100, "IGNORE_SPACE"],
  [0x400, "INTERACTIVE"],
];

// Character sets in which a multibyte character can end in 0x5c (backslash): escaping
// inside a custom clause would not be safe with them.
const UNSAFE_CHARSETS = /^(big5|cp932|gbk|sjis|gb18030)/i;

function readPem(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new SqlSettingsError(`${setting} ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

function caFromDir(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new SqlSettingsError(`MYSQL_SSL_CAPATH ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  return names
    .filter((n) => /\.(pem|crt)$|^[0-9a-f]{8}\.\d+$/.test(n))
    .map((n) => readPem(join(dir, n), "MYSQL_SSL_CAPATH"));
}

export function readMysqlConnection(
  rc: Map<string, string>,
  file: string,
  log: ModuleLogger,
): ConnectionOptions {
  const get = (name: string) => rc.get(`MYSQL_${name}`) || undefined;
  const port = get("PORT");
  if (port === undefined || !/^\d+$/.test(port))
    throw new SqlSettingsError(`${file}: cannot parse the MYSQL_PORT setting`);
  const opt = get("OPT");
  if (opt === undefined || !/^\d+$/.test(opt))
    throw new SqlSettingsError(`${file}: cannot parse the MYSQL_OPT setting`);
  const server = get("SERVER");
  const socket = get("SOCKET");
  if (!server && !socket) throw new SqlSettingsError(`${file}: MYSQL_SERVER is not set`);
  const user = get("USERNAME");
  if (!user) throw new SqlSettingsError(`${file}: MYSQL_USERNAME is not set`);
  const database = get("DATABASE");
  if (!database) throw new SqlSettingsError(`${file}: MYSQL_DATABASE is not set`);

  const flags: string[] = [];
  let rest = Number(opt);
  for (const [bit, name] of CLIENT_FLAGS)
    if (rest & bit) {
      flags.push(name);
      rest &= ~bit;
    }
  if (rest) log.info(`authmysql: MYSQL_OPT bits 0x${rest.toString(16)} are not supported and ignored`);

  let charset: string | undefined = get("CHARACTER_SET");
  const known = (mysql as unknown as { Charsets: Record<string, number> }).Charsets;
  if (charset && (UNSAFE_CHARSETS.test(charset) || known[charset.toUpperCase()] === undefined)) {
    log.err(`authmysql: MYSQL_CHARACTER_SET ${charset} cannot be used, staying with utf8mb4`);
    charset = undefined;
  }

  const options: ConnectionOptions = {
    host: socket ? undefined : server,
    port: Number(port) || 3306,
    socketPath: socket,
    user,
    password: get("PASSWORD") ?? "",
    database,
    charset,
    flags: flags.length ? flags : undefined,
    multipleStatements: false,
    connectTimeout: TIMEOUTS.connectMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
  // As libmysqlclient: TLS only when a CA file or directory is given.
  const cacert = get("SSL_CACERT");
  const capath = get("SSL_CAPATH");
  if (cacert || capath) {
    const key = get("SSL_KEY");
    const cert = get("SSL_CERT");
    options.ssl = {
      ca: [...(cacert ? [readPem(cacert, "MYSQL_SSL_CACERT")] : []), ...(capath ? caFromDir(capath) : [])],
      key: key ? readPem(key, "MYSQL_SSL_KEY") : undefined,
      cert: cert ? readPem(cert, "MYSQL_SSL_CERT") : undefined,
      // Courier's source reads MYSQL_SSL_CIPHER; its shipped comment says MYSQL_SSL_CIPHERS.
      ciphers: get("SSL_CIPHER") ?? get("SSL_CIPHERS"),
      rejectUnauthorized: true,
    };
  }
  return options;
}
