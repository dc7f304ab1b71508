// BODY and BODYSTRUCTURE (RFC 3501 §7.4.2) from a cached MimePart tree, in Dovecot's form:
// case kept as written, "7bit" when no encoding, a us-ascii charset added to text parts
// without one, and a multipart without any part shown as one empty text/plain part.

import { renderEnvelope } from "./envelope.js";
import { nstring } from "./imap-string.js";
import type { MimePart } from "./types.js";

export interface BodyStructureOptions {
  /** Extension data (BODYSTRUCTURE); false gives BODY. */
  extended: boolean;
  /** Show message/global like message/rfc822 (IMAP4rev2, RFC 9051). Default false. */
  messageGlobal?: boolean;
}

const EMPTY_BODY = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)';
const EMPTY_BODYSTRUCTURE = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)';

function paramList(params: string[], extra?: [string, string]): string {
  const items = params.map(nstring);
  if (extra) items.push(nstring(extra[0]), nstring(extra[1]));
  return items.length ? `(${items.join(" ")})` : "NIL";
}

function disposition(p: MimePart): string {
  if (p.disposition === null) return "NIL";
  return `(${nstring(p.disposition)} ${paramList(p.dispositionParams)})`;
}

function language(p: MimePart): string {
  return p.language?.length ? `(${p.language.map(nstring).join(" ")})` : "NIL";
}

function hasParam(params: string[], name: string): boolean {
  for (let i = 0; i < params.length; i += 2) if (params[i].toLowerCase() === name) return true;
  return false;
}

/** The BODY or BODYSTRUCTURE of a part (the root for the whole message), binary string. */
export function renderBodyStructure(part: MimePart, opts: BodyStructureOptions): string {
  const ext = opts.extended;
  if (part.parts) {
    const children = part.parts.length
      ? part.parts.map((c) => renderBodyStructure(c, opts)).join("")
      : ext
        ? EMPTY_BODYSTRUCTURE
        : EMPTY_BODY;
    let s = `(${children} ${nstring(part.subtype)}`;
    if (ext)
      s += ` ${paramList(part.params)} ${disposition(part)} ${language(part)} ${nstring(part.location)}`;
    return `${s})`;
  }
  const type = part.type?.toLowerCase() ?? "text";
  const sub = part.subtype?.toLowerCase();
  const text = type === "text";
  let s = part.type === null ? '("text" "plain"' : `(${nstring(part.type)} ${nstring(part.subtype)}`;
  const charset: [string, string] | undefined =
    text && !hasParam(part.params, "charset") ? ["charset", "us-ascii"] : undefined;
  s += ` ${paramList(part.params, charset)} ${nstring(part.id)} ${nstring(part.description)}`;
  s += ` ${nstring(part.encoding ?? "7bit")} ${part.bodySize}`;
  const asMessage = part.message && (sub === "rfc822" || opts.messageGlobal);
  if (text) s += ` ${part.bodyLines}`;
  else if (asMessage && part.message) {
    s += ` ${renderEnvelope(part.message.envelope)} ${renderBodyStructure(part.message, opts)} ${part.bodyLines}`;
  }
  if (ext) s += ` ${nstring(part.md5)} ${disposition(part)} ${language(part)} ${nstring(part.location)}`;
  return `${s})`;
}
