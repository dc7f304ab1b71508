// The files behind the TLS settings: certificate and key (with Courier's per-name SNI and
// per-local-address variants), trusted CAs (a file, or a hashed directory), DH parameters.

import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TlsConfigError } from "./errors.js";

export interface Where {
  /** SNI name the client asked for. */
  servername?: string;
  /** Local address of the connection (TCPLOCALIP). */
  localIp?: string;
}

export function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `<base>.<servername>` or `<base>.<local ip>` when readable (SNI first), else the base file. */
export function variantFor(base: string, where: Where): string {
  if (where.servername) {
    const p = `${base}.${where.servername.replace(/\//g, ".")}`;
    if (readable(p)) return p;
  }
  if (where.localIp) {
    const p = `${base}.${where.localIp.replace(/^::ffff:/i, "")}`;
    if (readable(p)) return p;
  }
  return base;
}

export function readSettingFile(path: string, variable: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TlsConfigError(variable, `cannot read ${path}: ${err.code ?? err.message}`);
  }
}

/** PEM blocks of one type, e.g. "CERTIFICATE" or "DH PARAMETERS". */
export function pemBlocks(text: string, type: string): string[] {
  const re = new RegExp(`-----BEGIN (${type})-----[\\s\\S]*?-----END \\1-----`, "g");
  return text.match(re) ?? [];
}

export const hasPrivateKey = (pem: string) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);

/** CA certificates from a PEM file or from every readable file of a (hashed) directory. */
export function readTrust(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new TlsConfigError("TLS_TRUSTCERTS", `cannot read ${path}: ${(e as NodeJS.ErrnoException).code}`);
  }
  const files = isDir ? readdirSync(path).map((f) => join(path, f)) : [path];
  const seen = new Set<string>();
  for (const f of files) {
    if (isDir && !readable(f)) continue;
    for (const c of pemBlocks(readSettingFile(f, "TLS_TRUSTCERTS"), "CERTIFICATE")) seen.add(c);
  }
  if (!seen.size) throw new TlsConfigError("TLS_TRUSTCERTS", `${path} holds no PEM certificate`);
  return [...seen];
}

/** Size in bits of the prime in a PEM "DH PARAMETERS" block (DER: SEQUENCE { INTEGER p, … }). */
export function dhPrimeBits(pem: string): number | undefined {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = Buffer.from(b64, "base64");
  let i = 0;
  const length = (): number => {
    let n = der[i++];
    if (n & 0x80) {
      const k = n & 0x7f;
      n = 0;
      for (let j = 0; j < k; j++) n = n * 256 + der[i++];
    }
    return n;
  };
  if (der[i++] !== 0x30) return undefined;
  length();
  if (der[i++] !== 0x02) return undefined;
  let n = length();
  while (n > 0 && der[i] === 0) {
    i++;
    n--;
  }
  if (n <= 0 || i + n > der.length) return undefined;
  return (n - 1) * 8 + (32 - Math.clz32(der[i]));
}
