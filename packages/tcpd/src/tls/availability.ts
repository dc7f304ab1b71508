// When a worker offers STARTTLS/STLS, requires TLS before login, and what changes after
// the handshake (imapd-behaviour.md §4.1 rule 5, pop3d-and-tcpd.md §2.1). Shared by imapd
// ("IMAP") and pop3d ("POP3"); loads no TLS code, so CAPABILITY stays cheap.
//
// Courier offers STARTTLS when <P>_STARTTLS starts with y/Y and COURIERTLS names an
// executable helper. TLS is built in here, so the equivalent condition is that the
// helper's input exists: TLS_CERTFILE names a readable file. COURIERTLS is not read.

import { accessSync, constants } from "node:fs";

export type TlsService = "IMAP" | "POP3";

const nonZero = (v: string | undefined) => (Number.parseInt(v ?? "", 10) || 0) !== 0;

export function certificateReadable(env: NodeJS.ProcessEnv): boolean {
  if (!env.TLS_CERTFILE) return false;
  try {
    accessSync(env.TLS_CERTFILE, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The connection is encrypted (implicit TLS, or after STARTTLS). */
export function tlsActive(env: NodeJS.ProcessEnv, svc: TlsService): boolean {
  return nonZero(env[`${svc}_TLS`]);
}

export function starttlsAvailable(env: NodeJS.ProcessEnv, svc: TlsService): boolean {
  return /^y/i.test(env[`${svc}_STARTTLS`] ?? "") && certificateReadable(env);
}

/** Logins must wait for STARTTLS (only enforced while STARTTLS is available, as Courier). */
export function tlsRequired(env: NodeJS.ProcessEnv, svc: TlsService): boolean {
  return nonZero(env[`${svc}_TLS_REQUIRED`]) && !tlsActive(env, svc);
}

/** The SASL EXTERNAL identity: the value of TLS_SUBJECT_<TLS_EXTERNAL>, when set. */
export function externalIdentity(env: NodeJS.ProcessEnv): string | undefined {
  const field = env.TLS_EXTERNAL?.trim();
  if (!field) return undefined;
  return env[`TLS_SUBJECT_${field.toUpperCase()}`] || undefined;
}

/** The environment after a successful STARTTLS/STLS, as Courier's login programs set it. */
export function afterStartTls(env: NodeJS.ProcessEnv, svc: TlsService, tlsEnv: Record<string, string>): void {
  env[`${svc}_STARTTLS`] = "NO";
  env[`${svc}_TLS_REQUIRED`] = "0";
  env[`${svc}_TLS`] = "1";
  Object.assign(env, tlsEnv);
}
