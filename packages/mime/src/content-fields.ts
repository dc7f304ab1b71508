// Content-Type / Content-Disposition / Content-Language parsing, keeping what Dovecot puts
// into BODYSTRUCTURE (case as written, RFC 2231 pieces joined but not decoded), and
// decoding RFC 2231 parameters for SEARCH and for callers that want real values.

import { decodeCharset } from "./charset.js";
import { lex } from "./rfc822-lexer.js";

export interface RawParam {
  name: string;
  value: string;
}

export interface ContentValue {
  /** "type/subtype" for Content-Type, the disposition word for Content-Disposition. */
  value: string;
  params: RawParam[];
}

/** Parses `value *(";" name "=" value)`; returns null when there is no leading token. */
export function parseContentValue(raw: string, withSubtype: boolean): ContentValue | null {
  const { tokens } = lex(raw, true);
  let i = 0;
  const first = tokens[i];
  if (!first || first.kind === "special") return null;
  let value = first.text;
  i++;
  if (withSubtype) {
    if (tokens[i]?.kind !== "special" || tokens[i].text !== "/") return null;
    const sub = tokens[i + 1];
    if (!sub || sub.kind === "special") return null;
    value += "/" + sub.text;
    i += 2;
  }
  const params: RawParam[] = [];
  while (i < tokens.length) {
    if (!(tokens[i].kind === "special" && tokens[i].text === ";")) {
      i++;
      continue;
    }
    i++;
    const name = tokens[i];
    if (name?.kind !== "atom") continue;
    if (tokens[i + 1]?.kind !== "special" || tokens[i + 1].text !== "=") {
      i++;
      continue;
    }
    let j = i + 2;
    let val = "";
    // Values like a/b or x=y that are not quoted: take tokens up to the next ";".
    while (j < tokens.length && !(tokens[j].kind === "special" && tokens[j].text === ";")) {
      val += tokens[j].text;
      j++;
    }
    params.push({ name: name.text, value: val });
    i = j;
  }
  return { value, params };
}

interface Piece {
  index: number;
  extended: boolean;
  value: string;
}

const CONTINUATION = /^(.*?)\*(\d+)(\*?)$/;

/**
 * Joins RFC 2231 continuations the way Dovecot reports them in BODYSTRUCTURE: plain
 * parameters first in their order, then the joined ones sorted by name; a joined parameter
 * with any extended (charset'lang'%XX) piece is named "name*" and keeps the raw value.
 */
export function joinRfc2231(params: RawParam[]): string[] {
  const out: string[] = [];
  const joined = new Map<string, Piece[]>();
  for (const p of params) {
    const m = CONTINUATION.exec(p.name);
    if (m) {
      const key = m[1];
      let list = joined.get(key.toLowerCase());
      if (!list) joined.set(key.toLowerCase(), (list = []));
      list.push({ index: Number(m[2]), extended: m[3] === "*", value: p.value });
      (list as Piece[] & { key?: string }).key ??= key;
    } else {
      out.push(p.name, p.value);
    }
  }
  const keys = [...joined.keys()].sort();
  for (const k of keys) {
    const list = joined.get(k)! as Piece[] & { key?: string };
    list.sort((a, b) => a.index - b.index);
    const extended = list.some((p) => p.extended);
    out.push(list.key + (extended ? "*" : ""), list.map((p) => p.value).join(""));
  }
  return out;
}

function percentDecode(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes);
}

/** Parameters with RFC 2231 continuations joined and charsets decoded; names lower-cased. */
export function decodeParams(params: RawParam[]): Map<string, string> {
  const out = new Map<string, string>();
  const groups = new Map<string, Piece[]>();
  for (const p of params) {
    const m = CONTINUATION.exec(p.name);
    const single = !m && p.name.endsWith("*");
    const key = (m ? m[1] : single ? p.name.slice(0, -1) : p.name).toLowerCase();
    if (!m && !single) {
      if (!out.has(key)) out.set(key, Buffer.from(p.value, "latin1").toString("utf8"));
      continue;
    }
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push({ index: m ? Number(m[2]) : 0, extended: single || m?.[3] === "*", value: p.value });
  }
  for (const [key, list] of groups) {
    list.sort((a, b) => a.index - b.index);
    let charset = "utf-8";
    const bufs: Buffer[] = [];
    list.forEach((p, n) => {
      let v = p.value;
      if (p.extended) {
        if (n === 0) {
          const q1 = v.indexOf("'");
          const q2 = q1 < 0 ? -1 : v.indexOf("'", q1 + 1);
          if (q2 >= 0) {
            charset = v.slice(0, q1) || "us-ascii";
            v = v.slice(q2 + 1);
          }
        }
        bufs.push(percentDecode(v));
      } else bufs.push(Buffer.from(v, "latin1"));
    });
    out.set(key, decodeCharset(Buffer.concat(bufs), charset));
  }
  return out;
}

/** Content-Language: a comma separated list of tags. */
export function parseLanguage(raw: string): string[] {
  const { tokens } = lex(raw, true);
  const out: string[] = [];
  let cur = "";
  for (const t of tokens) {
    if (t.kind === "special" && t.text === ",") {
      if (cur) out.push(cur);
      cur = "";
    } else cur += t.text;
  }
  if (cur) out.push(cur);
  return out;
}

/** A single token value (Content-Transfer-Encoding), comments removed. */
export function parseToken(raw: string): string | null {
  const { tokens } = lex(raw, true);
  return tokens.length ? tokens.map((t) => t.text).join("") : null;
}
