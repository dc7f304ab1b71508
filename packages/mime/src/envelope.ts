// ENVELOPE (RFC 3501 §7.4.2) written as Dovecot writes it: encoded-words are left alone,
// subject and display names go through humanString, the rest through nstring.

import { type Address, parseAddressList } from "./address.js";
import { humanString, nstring, nstringNoLf } from "./imap-string.js";
import type { EnvelopeFields } from "./types.js";

function addressList(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const list = parseAddressList(raw);
  if (!list.length) return null;
  return `(${list.map(address).join("")})`;
}

function address(a: Address): string {
  return `(${humanString(a.name)} ${nstring(a.route)} ${nstring(a.mailbox)} ${nstring(a.host)})`;
}

/** The parenthesized ENVELOPE of a message, as a binary string. */
export function renderEnvelope(env: EnvelopeFields | undefined): string {
  const e = env ?? {};
  const from = addressList(e.from);
  const sender = addressList(e.sender) ?? from;
  const replyTo = addressList(e.replyTo) ?? from;
  return [
    `(${nstringNoLf(e.date)}`,
    humanString(e.subject),
    from ?? "NIL",
    sender ?? "NIL",
    replyTo ?? "NIL",
    addressList(e.to) ?? "NIL",
    addressList(e.cc) ?? "NIL",
    addressList(e.bcc) ?? "NIL",
    nstringNoLf(e.inReplyTo),
    `${nstringNoLf(e.messageId)})`,
  ].join(" ");
}
