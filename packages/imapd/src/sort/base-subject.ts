// Base subject extraction, RFC 5256 §2.1, for SORT SUBJECT and both THREAD algorithms.
// `replyOrForward` says whether steps 2, 3 or 6 removed a reply/forward marker
// ("(fwd)", "Re:", "Fw:", "Fwd:", "[Fwd: …]"), which THREAD=REFERENCES step 5 uses.

import { decodeHeaderValue } from "@courier-imap/mime";

export interface BaseSubject {
  subject: string;
  replyOrForward: boolean;
}

// subj-trailer = "(fwd)" / WSP
const TRAILER = /(?:\(fwd\)|[ \t])$/i;
// subj-blob = "[" *BLOBCHAR "]" *WSP
const BLOB = /^\[[^[\]]*\][ \t]*/;
// subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
const REFWD = /^(?:re|fwd?)[ \t]*(?:\[[^[\]]*\][ \t]*)?:/i;

/** Removes one subj-leader ((*subj-blob subj-refwd) / WSP) from the front; null if none. */
function stripLeader(s: string): string | null {
  if (s.startsWith(" ") || s.startsWith("\t")) return s.slice(1);
  let rest = s;
  for (;;) {
    const r = REFWD.exec(rest);
    if (r) return rest.slice(r[0].length);
    const b = BLOB.exec(rest);
    if (!b) return null;
    rest = rest.slice(b[0].length);
  }
}

/** subj-base = NONWSP *(*WSP NONWSP): non-empty, not starting with white space. */
function isSubjBase(s: string): boolean {
  return s.length > 0 && s[0] !== " " && s[0] !== "\t";
}

/** `raw` is the Subject field value as stored (binary string, encoded-words undecoded). */
export function baseSubject(raw: string | undefined): BaseSubject {
  // (1) decode encoded-words, tabs and continuations to spaces, runs of spaces to one.
  let s = decodeHeaderValue(raw ?? "")
    .replace(/[\t\r\n]/g, " ")
    .replace(/ {2,}/g, " ");
  let replyOrForward = false;
  for (;;) {
    // (2) trailing "(fwd)" and white space.
    for (let m = TRAILER.exec(s); m; m = TRAILER.exec(s)) {
      if (m[0].length > 1) replyOrForward = true;
      s = s.slice(0, s.length - m[0].length);
    }
    // (3)-(5) leaders, then a lone leading blob if something is left after it.
    for (;;) {
      let changed = false;
      for (let next = stripLeader(s); next !== null; next = stripLeader(s)) {
        if (!/^[ \t]/.test(s)) replyOrForward = true;
        s = next;
        changed = true;
      }
      const b = BLOB.exec(s);
      if (b && isSubjBase(s.slice(b[0].length))) {
        s = s.slice(b[0].length);
        changed = true;
      }
      if (!changed) break;
    }
    // (6) "[fwd:" … "]" around the whole subject: unwrap and start again at (2).
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === "[fwd:" && s.endsWith("]")) {
      s = s.slice(5, -1);
      replyOrForward = true;
      continue;
    }
    return { subject: s, replyOrForward };
  }
}
