// A forgiving RFC 5322 lexer over binary strings: comments are skipped (the last one is
// remembered, addresses use it as a display name), quoted strings are unescaped.

export type Token =
  | { kind: "atom"; text: string }
  | { kind: "quoted"; text: string }
  | { kind: "literal"; text: string }
  | { kind: "special"; text: string };

const SPECIALS_ADDRESS = '()<>@,;:\\"[]';
const SPECIALS_MIME = '()<>@,;:\\"/[]?=';

export interface LexResult {
  tokens: Token[];
  /** Comment text following token i (index i), or before the first token (index -1). */
  comments: Map<number, string>;
}

function isWsp(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

/** `mime` uses the RFC 2045 tspecials (so "/" and "=" split tokens, "." does not). */
export function lex(s: string, mime = false): LexResult {
  const specials = mime ? SPECIALS_MIME : SPECIALS_ADDRESS;
  const tokens: Token[] = [];
  const comments = new Map<number, string>();
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (isWsp(c)) {
      i++;
    } else if (c === "(") {
      let depth = 1;
      let text = "";
      i++;
      while (i < n && depth > 0) {
        const d = s[i];
        if (d === "\\" && i + 1 < n) {
          text += s[i + 1];
          i += 2;
          continue;
        }
        if (d === "(") depth++;
        else if (d === ")") {
          depth--;
          if (depth === 0) break;
        }
        text += d;
        i++;
      }
      i++;
      comments.set(tokens.length - 1, text.replace(/[\r\n]+/g, "").trim());
    } else if (c === '"') {
      let text = "";
      i++;
      while (i < n && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < n) i++;
        if (s[i] !== "\r" && s[i] !== "\n") text += s[i];
        i++;
      }
      i++;
      tokens.push({ kind: "quoted", text });
    } else if (c === "[" && !mime) {
      const end = s.indexOf("]", i);
      const stop = end < 0 ? n : end + 1;
      tokens.push({ kind: "literal", text: s.slice(i, stop).replace(/[\r\n]+/g, "") });
      i = stop;
    } else if (specials.includes(c)) {
      tokens.push({ kind: "special", text: c });
      i++;
    } else {
      let j = i;
      while (j < n && !isWsp(s[j]) && !specials.includes(s[j])) j++;
      tokens.push({ kind: "atom", text: s.slice(i, j) });
      i = j;
    }
  }
  return { tokens, comments };
}
