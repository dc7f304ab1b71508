// CAPABILITY string from the environment (imapd-behaviour.md §4.1). STARTTLS is
// "available" when IMAP_STARTTLS is YES and TLS_CERTFILE is readable (see
// tcpd/src/tls/availability.ts for why that replaces Courier's COURIERTLS test).

import {
  externalIdentity,
  starttlsAvailable,
  tlsActive,
  tlsRequired,
} from "@courier-imap/tcpd/tls/availability";
import { appendLimit } from "../mailbox/append-limit.js";

/** What this server implements when the admin does not set IMAP_CAPABILITY. */
export const DEFAULT_BASE = "IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN";

function nonZero(v: string | undefined): boolean {
  const n = Number.parseInt(v ?? "", 10);
  return Number.isFinite(n) && n !== 0;
}

export function capabilityString(env: NodeJS.ProcessEnv): string {
  let caps: string;
  if (nonZero(env.IMAP_TLS) && env.IMAP_CAPABILITY_TLS) caps = env.IMAP_CAPABILITY_TLS;
  else caps = env.IMAP_CAPABILITY || DEFAULT_BASE;
  const limit = appendLimit(env);
  if (limit !== undefined)
    caps = `${caps.replace(/(^|\s)APPENDLIMIT(=\S*)?(?=\s|$)/gi, " ")} APPENDLIMIT=${limit}`;
  if (env.SMAP_CAPABILITY) {
    caps += ` ${env.SMAP_CAPABILITY}`;
    if (nonZero(env.IMAP_KEYWORDS)) caps += " KEYWORDS";
  }
  if (nonZero(env.IMAP_ACL)) caps += " ACL ACL2=UNION";
  if (env.IMAP_ID_FIELDS !== undefined) caps += " ID";
  if (starttlsAvailable(env, "IMAP")) {
    caps += " STARTTLS";
    if (tlsRequired(env, "IMAP")) caps += " LOGINDISABLED";
  } else if (tlsActive(env, "IMAP") && externalIdentity(env)) caps += " AUTH=EXTERNAL";
  if (env.OUTBOX) caps += ` XCOURIEROUTBOX=INBOX${env.OUTBOX}`;
  if (nonZero(env.IMAP_MOVE_EXPUNGE_TO_TRASH)) caps += " XMAGICTRASH";
  return `${caps.trim().replace(/\s+/g, " ")} ENABLE UTF8=ACCEPT`;
}
