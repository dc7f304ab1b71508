// Every TLS_* variable Courier's couriertls reads (spec/pop3d-and-tcpd.md §8), validated
// and combined into one description. Files are not read here (see context.ts), so this is
// cheap enough for every CAPABILITY.

import { createSecureContext, type SecureVersion } from "node:tls";
import { TlsConfigError } from "./errors.js";
import { parseTlsPriority } from "./priority.js";
import { parseTlsProtocol, VERSION_ORDER } from "./protocol.js";

export type VerifyPeer = "NONE" | "PEER" | "REQUIREPEER";

export interface TlsSettings {
  certFile: string;
  privateKeyFile?: string;
  dhParamsFile?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  ecdhCurve?: string;
  serverCipherOrder: boolean;
  noRenegotiation: boolean;
  noTickets: boolean;
  minDhBits?: number;
  verifyPeer: VerifyPeer;
  trustCerts?: string;
  /** TLS_EXTERNAL: the subject field that names the SASL EXTERNAL identity. */
  external?: string;
  /** TLS_CACHEFILE: where the session-ticket keys shared by all workers live. */
  cacheFile?: string;
  cacheSize?: number;
  /** TLS_TIMEOUT: session (ticket) lifetime in seconds. */
  sessionTimeout?: number;
  alpn?: string[];
  /** Settings that were accepted but cannot be honoured exactly. */
  warnings: string[];
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new TlsConfigError(name, `"${v}" is not a whole number${min ? ` of at least ${min}` : ""}`);
  return Number(v);
}

function verifyPeer(v: string | undefined): VerifyPeer {
  switch ((v ?? "").trim().slice(0, 1).toUpperCase()) {
    case "":
    case "N":
      return "NONE";
    case "P":
      return "PEER";
    case "R":
      return "REQUIREPEER";
    default:
      throw new TlsConfigError("TLS_VERIFYPEER", `"${v}" is not NONE, PEER or REQUIREPEER`);
  }
}

function alpnList(v: string | undefined): string[] | undefined {
  const list = (v ?? "").split(/[\s,]+/).filter(Boolean);
  for (const p of list)
    if (Buffer.byteLength(p) > 255 || /[\x00-\x20\x7f]/.test(p))
      throw new TlsConfigError("TLS_ALPN", `"${p}" is not a valid protocol name`);
  return list.length ? list : undefined;
}

function checkCiphers(ciphers: string, variable: string): void {
  try {
    createSecureContext({ ciphers });
  } catch (e) {
    throw new TlsConfigError(variable, `"${ciphers}": ${(e as Error).message.replace(/^error:\S+:/, "")}`);
  }
}

const higher = (a?: SecureVersion, b?: SecureVersion) =>
  !a ? b : !b ? a : VERSION_ORDER.indexOf(a) >= VERSION_ORDER.indexOf(b) ? a : b;

/** Reads the TLS_* variables; throws TlsConfigError naming the first bad one. */
export function readTlsSettings(env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const certFile = env.TLS_CERTFILE?.trim();
  if (!certFile) throw new TlsConfigError("TLS_CERTFILE", "not set; TLS needs a certificate");
  const proto = parseTlsProtocol(env.TLS_PROTOCOL);
  const prio = parseTlsPriority(env.TLS_PRIORITY);
  const minVersion = higher(proto?.minVersion, prio.minVersion);
  const maxVersion = prio.maxVersion;
  if (minVersion && maxVersion && VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion))
    throw new TlsConfigError(
      "TLS_PROTOCOL",
      `allows nothing below ${minVersion}, but TLS_PRIORITY allows nothing above ${maxVersion}`,
    );
  const cipherList = env.TLS_CIPHER_LIST?.trim() || undefined;
  if (cipherList) checkCiphers(cipherList, "TLS_CIPHER_LIST");
  const ciphers = cipherList ?? prio.ciphers;
  const trustCerts = env.TLS_TRUSTCERTS?.trim() || undefined;
  const verify = verifyPeer(env.TLS_VERIFYPEER);
  if (verify !== "NONE" && !trustCerts)
    throw new TlsConfigError("TLS_TRUSTCERTS", `not set, but TLS_VERIFYPEER=${verify} needs trusted CAs`);
  integer(env, "TLS_INTCACHESIZE", 0);
  return {
    certFile,
    privateKeyFile: env.TLS_PRIVATE_KEYFILE?.trim() || undefined,
    dhParamsFile: env.TLS_DHPARAMS?.trim() || undefined,
    minVersion,
    maxVersion,
    ciphers,
    ecdhCurve: prio.ecdhCurve,
    serverCipherOrder: !!proto?.serverCipherOrder || prio.serverCipherOrder,
    noRenegotiation: !!proto?.noRenegotiation,
    noTickets: prio.noTickets,
    minDhBits: integer(env, "TLS_MIN_DH_BITS", 1),
    verifyPeer: verify,
    trustCerts,
    external: env.TLS_EXTERNAL?.trim() || undefined,
    cacheFile: env.TLS_CACHEFILE?.trim() || undefined,
    cacheSize: integer(env, "TLS_CACHESIZE", 0),
    sessionTimeout: integer(env, "TLS_TIMEOUT", 1),
    alpn: alpnList(env.TLS_ALPN),
    warnings: prio.warnings,
  };
}
