// RFC 5322 address lists (groups, route addresses, comments, obsolete forms) parsed as
// Dovecot does for ENVELOPE: missing parts are filled with MISSING_MAILBOX/MISSING_DOMAIN.

import { lex, type Token } from "./rfc822-lexer.js";

export interface Address {
  /** Display name (binary string, encoded-words left as they are), null if none. */
  name: string | null;
  /** Source route "@a,@b" of an obsolete route address, null if none. */
  route: string | null;
  /** Local part, or the group name at the start of a group; null at the end of a group. */
  mailbox: string | null;
  /** Domain; null for both group markers. */
  host: string | null;
}

export const MISSING_MAILBOX = "MISSING_MAILBOX";
export const MISSING_DOMAIN = "MISSING_DOMAIN";

function isSpecial(t: Token | undefined, chars: string): boolean {
  return t !== undefined && t.kind === "special" && chars.includes(t.text);
}

export function parseAddressList(raw: string): Address[] {
  const { tokens, comments } = lex(raw);
  const out: Address[] = [];
  let i = 0;
  const n = tokens.length;

  const lastComment = (from: number, to: number): string | null => {
    let found: string | null = null;
    for (let k = from - 1; k < to; k++) {
      const c = comments.get(k);
      if (c !== undefined && c !== "") found = c;
    }
    return found;
  };

  // One mailbox from tokens[i]; stops before "," ";" or the end.
  const mailbox = (): void => {
    const start = i;
    const phrase: string[] = [];
    while (i < n && !isSpecial(tokens[i], "<@,;:")) {
      phrase.push(tokens[i].text);
      i++;
    }
    const t = tokens[i];
    if (isSpecial(t, "<")) {
      i++;
      let route: string | null = null;
      if (isSpecial(tokens[i], "@")) {
        let r = "";
        while (i < n && !isSpecial(tokens[i], ":>")) r += tokens[i++].text;
        if (isSpecial(tokens[i], ":")) {
          i++;
          route = r;
        }
      }
      let local = "";
      while (i < n && !isSpecial(tokens[i], "@>,;")) local += tokens[i++].text;
      let host: string | null = null;
      if (isSpecial(tokens[i], "@")) {
        i++;
        host = "";
        while (i < n && !isSpecial(tokens[i], ">,;")) host += tokens[i++].text;
      }
      if (isSpecial(tokens[i], ">")) i++;
      // Anything after the ">" up to the next separator is ignored.
      while (i < n && !isSpecial(tokens[i], ",;")) i++;
      out.push({
        name: phrase.length ? phrase.join(" ") : null,
        route,
        mailbox: local || MISSING_MAILBOX,
        host: host || MISSING_DOMAIN,
      });
      return;
    }
    if (isSpecial(t, "@")) {
      i++;
      let host = "";
      while (i < n && !isSpecial(tokens[i], ",;")) host += tokens[i++].text;
      out.push({
        name: lastComment(start, i),
        route: null,
        mailbox: phrase.join("") || MISSING_MAILBOX,
        host: host || MISSING_DOMAIN,
      });
      return;
    }
    if (phrase.length === 0) return;
    const single = phrase.length === 1 && tokens[start].kind === "atom";
    out.push({
      name: single ? lastComment(start, i) : phrase.join(" "),
      route: null,
      mailbox: single ? phrase[0] : MISSING_MAILBOX,
      host: MISSING_DOMAIN,
    });
  };

  while (i < n) {
    if (isSpecial(tokens[i], ",;>")) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && (tokens[j].kind === "atom" || tokens[j].kind === "quoted")) j++;
    if (isSpecial(tokens[j], ":") && j > i) {
      out.push({
        name: null,
        route: null,
        mailbox: tokens
          .slice(i, j)
          .map((t) => t.text)
          .join(" "),
        host: null,
      });
      i = j + 1;
      while (i < n && !isSpecial(tokens[i], ";")) {
        if (isSpecial(tokens[i], ",:")) i++;
        else mailbox();
      }
      i++;
      out.push({ name: null, route: null, mailbox: null, host: null });
      continue;
    }
    const before = i;
    mailbox();
    if (i === before) i++;
  }
  return out;
}
