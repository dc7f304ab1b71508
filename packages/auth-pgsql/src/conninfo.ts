// PGSQL_CONNECTION (spec/auth-modules.md §9): a libpq conninfo string — `key=value` pairs, a
// value in single quotes may hold spaces, `\'` and `\\` — or a postgresql:// URI, turned into
// pg client settings.

import { readFileSync } from "node:fs";
import { SqlSettingsError } from "@courier-imap/auth-sql";
import type { ModuleLogger } from "@courier-imap/authlib";
import type { ClientConfig } from "pg";

export function parseConninfo(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|((?:[^\s'\\]|\\.)*))/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s)) !== null && m[0] !== "") {
    out.set(m[1], (m[2] ?? m[3]).replace(/\\(.)/g, "$1"));
    end = re.lastIndex;
  }
  if (s.slice(end).trim() !== "")
    throw new SqlSettingsError(`PGSQL_CONNECTION: cannot parse "${s.slice(end).trim()}"`);
  return out;
}

function file(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new SqlSettingsError(`PGSQL_CONNECTION ${key}=${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

export function conninfoToConfig(conninfo: string, log: ModuleLogger): ClientConfig {
  if (/^postgres(ql)?:\/\//.test(conninfo)) return { connectionString: conninfo };
  const kv = parseConninfo(conninfo);
  const c: ClientConfig = {};
  const sslFiles: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  let sslmode = "prefer";
  for (const [k, v] of kv) {
    switch (k) {
      case "host":
      case "hostaddr":
        if (k === "hostaddr" || c.host === undefined) c.host = v;
        break;
      case "port":
        if (!/^\d+$/.test(v)) throw new SqlSettingsError(`PGSQL_CONNECTION: port=${v} is not a number`);
        c.port = Number(v);
        break;
      case "user":
        c.user = v;
        break;
      case "password":
        c.password = v;
        break;
      case "dbname":
        c.database = v;
        break;
      case "connect_timeout":
        if (/^\d+$/.test(v) && Number(v) > 0) c.connectionTimeoutMillis = Number(v) * 1000;
        break;
      case "application_name":
      case "fallback_application_name":
        c.application_name ??= v;
        break;
      case "options":
        c.options = v;
        break;
      case "sslmode":
        sslmode = v;
        break;
      case "sslrootcert":
        sslFiles.ca = file(v, k);
        break;
      case "sslcert":
        sslFiles.cert = file(v, k);
        break;
      case "sslkey":
        sslFiles.key = file(v, k);
        break;
      case "client_encoding":
        if (!/^(utf-?8|unicode)$/i.test(v))
          log.err(`authpgsql: client_encoding=${v} ignored, the driver speaks UTF8`);
        break;
      default:
        log.info(`authpgsql: PGSQL_CONNECTION: ${k} is not supported, ignored`);
    }
  }
  switch (sslmode) {
    case "disable":
    case "allow":
    case "prefer":
      // pg cannot try TLS and fall back; "prefer" (libpq's default) connects in the clear.
      c.ssl = false;
      break;
    case "require":
      c.ssl = { ...sslFiles, rejectUnauthorized: sslFiles.ca !== undefined };
      break;
    case "verify-ca":
      c.ssl = { ...sslFiles, rejectUnauthorized: true, checkServerIdentity: () => undefined };
      break;
    case "verify-full":
      c.ssl = { ...sslFiles, rejectUnauthorized: true };
      break;
    default:
      throw new SqlSettingsError(`PGSQL_CONNECTION: sslmode=${sslmode} is not a valid mode`);
  }
  return c;
}
