// IMAP_TLS_REQUIRED: while STARTTLS is available and not yet done, LOGIN and AUTHENTICATE
// get "NO STARTTLS required" (CAPABILITY says LOGINDISABLED).

import { starttlsAvailable, tlsRequired } from "@courier-imap/tcpd/tls/availability";
import { CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";

export function refuseWithoutTls(s: Session): void {
  const env = s.settings.env;
  if (starttlsAvailable(env, "IMAP") && tlsRequired(env, "IMAP"))
    throw new CommandRefused("STARTTLS required");
}
