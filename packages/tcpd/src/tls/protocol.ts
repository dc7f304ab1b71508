// TLS_PROTOCOL (Courier's OpenSSL build): the lowest protocol version, "++" also refuses
// client-initiated renegotiation, and TLSv1.2++ prefers the server's cipher order.

import type { SecureVersion } from "node:tls";
import { TlsConfigError } from "./errors.js";

export interface ProtocolSetting {
  minVersion: SecureVersion;
  noRenegotiation: boolean;
  serverCipherOrder: boolean;
}

const VERSIONS: Record<string, SecureVersion> = {
  TLS1: "TLSv1",
  TLSV1: "TLSv1",
  "TLSV1.1": "TLSv1.1",
  "TLSV1.2": "TLSv1.2",
  // not in Courier (its OpenSSL code predates TLS 1.3), accepted because Node has it
  "TLSV1.3": "TLSv1.3",
};

export const VERSION_ORDER: SecureVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/** Undefined when unset or empty (Node's default range applies: TLS 1.2 and 1.3). */
export function parseTlsProtocol(
  value: string | undefined,
  variable = "TLS_PROTOCOL",
): ProtocolSetting | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m = /^(.*?)(\+{0,2})$/.exec(v.toUpperCase())!;
  if (m[1] === "SSL2" || m[1] === "SSL3" || m[1] === "SSLV3")
    throw new TlsConfigError(variable, `${v}: SSL 2 and SSL 3 are not supported; use TLSv1.2 or later`);
  // Courier's old "SSL23" meant "any protocol the library allows".
  const min = m[1] === "SSL23" ? "TLSv1" : VERSIONS[m[1]];
  if (!min)
    throw new TlsConfigError(
      variable,
      `unknown protocol "${v}" (expected TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3, optionally followed by + or ++)`,
    );
  return {
    minVersion: min,
    noRenegotiation: m[2] === "++",
    serverCipherOrder: m[2] === "++" && min === "TLSv1.2",
  };
}
