// What couriertls exports after a handshake: TLS_CONNECTED_PROTOCOL and, for a verified
// client certificate only, TLS_SUBJECT_<FIELD> per subject component (field upper-cased).

import type { PeerCertificate, TLSSocket } from "node:tls";

export function subjectEnv(cert: PeerCertificate | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  const subject = (cert?.subject ?? {}) as unknown as Record<string, string | string[]>;
  for (const [field, value] of Object.entries(subject)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === "string") env[`TLS_SUBJECT_${field.toUpperCase()}`] = v;
  }
  return env;
}

export function connectedProtocol(sock: TLSSocket): string {
  const cipher = sock.getCipher();
  return [sock.getProtocol() ?? "", cipher?.standardName ?? cipher?.name ?? ""].filter(Boolean).join(",");
}
