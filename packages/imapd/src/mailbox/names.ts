// Mailbox names between the wire (modified UTF-7, or UTF-8 after ENABLE UTF8=ACCEPT) and
// the maildir's filesystem form, and their rendering in responses (quoted or literal).

import { Maildir, mailboxToWire } from "@courier-imap/maildir";
import { astring } from "../parser/args.js";
import type { Token } from "../parser/tokens.js";
import { CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";

export function utf8Enabled(s: Session): boolean {
  return s.state.enabled.includes("UTF8=ACCEPT");
}

/** The filesystem-form name of a mailbox argument; `NO Invalid mailbox name.` if it cannot be one. */
export function mailboxArg(s: Session, tok: Token | undefined): string {
  const wire = astring(tok, "mailbox name");
  try {
    return canonicalInbox(Maildir.fromWire(wire, utf8Enabled(s)));
  } catch {
    throw new CommandRefused("Invalid mailbox name.");
  }
}

/** `inbox`, `Inbox.x` → `INBOX`, `INBOX.x`. */
export function canonicalInbox(name: string): string {
  return /^inbox(\.|$)/i.test(name) ? `INBOX${name.slice(5)}` : name;
}

/** An IMAP string for a response: quoted when it can be, else a literal. */
export function imapString(text: string): string {
  if (/[\r\n\0]/.test(text) || text.length > 1000) return `{${Buffer.byteLength(text)}}\r\n${text}`;
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** A filesystem-form name as the client should see it. */
export function wireMailbox(s: Session, name: string): string {
  return imapString(mailboxToWire(name, utf8Enabled(s)));
}
