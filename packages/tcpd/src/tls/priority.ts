// TLS_PRIORITY, a GnuTLS priority string (Debian's couriertls is GnuTLS), mapped onto
// what Node's OpenSSL offers: the protocol versions, the strength keyword's cipher choice,
// %SERVER_PRECEDENCE and %NO_TICKETS. Other GnuTLS tokens have no equivalent and are
// reported as warnings; certificate-type and compression tokens are moot (Node does
// X.509 only and never compresses) and are dropped silently.

import type { SecureVersion } from "node:tls";
import { TlsConfigError } from "./errors.js";
import { VERSION_ORDER } from "./protocol.js";

export interface PrioritySetting {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** OpenSSL cipher string for the strength keyword; used only without TLS_CIPHER_LIST. */
  ciphers?: string;
  ecdhCurve?: string;
  serverCipherOrder: boolean;
  noTickets: boolean;
  warnings: string[];
}

const TLS13_STRONG = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

const KEYWORDS: Record<string, { ciphers?: string; ecdhCurve?: string }> = {
  NORMAL: {},
  PERFORMANCE: {},
  LEGACY: {},
  SYSTEM: {},
  NONE: {},
  PFS: { ciphers: "ECDHE:DHE:!aNULL:!eNULL" },
  SECURE128: { ciphers: "HIGH:!aNULL:!eNULL" },
  SECURE192: { ciphers: `${TLS13_STRONG}:HIGH:!AES128:!CAMELLIA128:!aNULL:!eNULL` },
  SECURE256: { ciphers: `${TLS13_STRONG}:HIGH:!AES128:!CAMELLIA128:!aNULL:!eNULL` },
  SUITEB128: {
    ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
    ecdhCurve: "P-256:P-384",
  },
  SUITEB192: { ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384", ecdhCurve: "P-384" },
};

const GNUTLS_VERSION: Record<string, SecureVersion> = {
  "TLS1.0": "TLSv1",
  "TLS1.1": "TLSv1.1",
  "TLS1.2": "TLSv1.2",
  "TLS1.3": "TLSv1.3",
};

function applyVersion(sign: string, name: string, enabled: Set<SecureVersion>): boolean {
  const all = name === "ALL" || name === "TLS-ALL";
  if (name.startsWith("DTLS") || name === "SSL3.0") return true; // never offered by Node anyway
  if (!all && !GNUTLS_VERSION[name]) return false;
  const which = all ? VERSION_ORDER : [GNUTLS_VERSION[name]];
  for (const w of which) {
    if (sign === "+") enabled.add(w);
    else enabled.delete(w);
  }
  return true;
}

export function parseTlsPriority(value: string | undefined, variable = "TLS_PRIORITY"): PrioritySetting {
  const out: PrioritySetting = { serverCipherOrder: false, noTickets: false, warnings: [] };
  const v = value?.trim();
  if (!v) return out;
  const enabled = new Set<SecureVersion>(VERSION_ORDER);
  let versionsTouched = false;
  const tokens = v.split(":");
  tokens.forEach((raw, i) => {
    const tok = raw.trim().toUpperCase();
    if (!/^[+\-!%@]?[A-Z0-9_.\-@]+$/.test(tok))
      throw new TlsConfigError(variable, `invalid priority item "${raw}" in "${v}"`);
    const sign = /^[+\-!%]/.test(tok) ? tok[0] : "";
    const name = sign ? tok.slice(1) : tok;
    if (sign === "" || (sign === "+" && KEYWORDS[name])) {
      const kw = KEYWORDS[name.replace(/^@/, "")];
      if (name.startsWith("@")) {
        out.warnings.push(
          `${variable}: ${name} (the system-wide GnuTLS policy) is not read; Node's defaults apply`,
        );
        return;
      }
      if (!kw) throw new TlsConfigError(variable, `unknown priority keyword "${raw}" in "${v}"`);
      if (sign === "" && i > 0) throw new TlsConfigError(variable, `"${raw}" must start with +, -, ! or %`);
      if (name === "NONE") {
        enabled.clear();
        versionsTouched = true;
      }
      if (kw.ciphers) out.ciphers = kw.ciphers;
      if (kw.ecdhCurve) out.ecdhCurve = kw.ecdhCurve;
      return;
    }
    if (sign === "%") {
      if (name === "SERVER_PRECEDENCE") out.serverCipherOrder = true;
      else if (name === "NO_TICKETS") out.noTickets = true;
      else out.warnings.push(`${variable}: %${name} has no equivalent in Node's TLS, ignored`);
      return;
    }
    if (name.startsWith("VERS-")) {
      if (sign === "!") throw new TlsConfigError(variable, `invalid priority item "${raw}"`);
      if (!applyVersion(sign, name.slice(5), enabled))
        throw new TlsConfigError(variable, `unknown protocol version "${raw}"`);
      versionsTouched = true;
      return;
    }
    if (name.startsWith("CTYPE-") || name.startsWith("COMP-")) return;
    out.warnings.push(`${variable}: "${raw}" has no equivalent in Node's TLS, ignored`);
  });
  if (versionsTouched) {
    const on = VERSION_ORDER.filter((x) => enabled.has(x));
    if (!on.length) throw new TlsConfigError(variable, `"${v}" enables no TLS protocol version`);
    out.minVersion = on[0];
    out.maxVersion = on[on.length - 1];
    const span = VERSION_ORDER.slice(
      VERSION_ORDER.indexOf(on[0]),
      VERSION_ORDER.indexOf(on[on.length - 1]) + 1,
    );
    if (span.length !== on.length)
      out.warnings.push(
        `${variable}: Node allows only a range of versions; using ${out.minVersion} to ${out.maxVersion}`,
      );
  }
  return out;
}
