// DELETE and RENAME wait before removing a folder so that a folder re-created under the
// same name can never get the same time-based UIDVALIDITY (Courier: 2 s). IMAP_UIDV_DELAY_MS
// (ours, not Courier's) shortens it for tests.

import type { Session } from "../session/session.js";

export function uidvDelayMs(s: Session): number {
  const v = Number(s.settings.env.IMAP_UIDV_DELAY_MS);
  return Number.isFinite(v) && v >= 0 ? v : 2000;
}
