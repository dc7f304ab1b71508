// Substituting $(local_part), $(domain), $(service), $(newpass), $(newpass_crypt) into an
// admin's custom clause (spec/auth-modules.md §0). Courier pastes the values in as text,
// escaped in some clauses and not in others (CHPASS); here the clause is read the way the
// connected server will read it, and every value is escaped for the place it lands in:
//   inside '…' / "…" literals   escaped for that literal (backslash rules of the session)
//   inside `…` / "…" identifiers the delimiter doubled
//   outside any quotes          a complete quoted literal
//   inside a comment            nothing (a value could otherwise end the comment)
//   inside PostgreSQL $tag$…$tag$ as is, unless it contains the closing tag (then refused)
// An unknown name gives the empty value; an unterminated `$(` swallows the rest, as Courier.

import type { SqlDialect } from "./dialect.js";
import {
  escapeInIdentifier,
  escapeInString,
  type StringStyle,
  stringLiteral,
  UnsafeSubstitutionError,
} from "./escape.js";

type Context =
  | { k: "code" }
  | { k: "string"; quote: string; style: StringStyle; backslash: boolean }
  | { k: "ident"; quote: string }
  | { k: "line-comment" }
  | { k: "block-comment"; depth: number }
  | { k: "dollar"; tag: string };

const CODE: Context = { k: "code" };
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function render(value: string, ctx: Context, d: SqlDialect): string {
  switch (ctx.k) {
    case "code":
      return stringLiteral(value, d);
    case "string":
      return escapeInString(value, ctx.quote, ctx.style);
    case "ident":
      return escapeInIdentifier(value, ctx.quote);
    case "line-comment":
    case "block-comment":
      return "";
    case "dollar":
      if (value.includes(`$${ctx.tag}$`))
        throw new UnsafeSubstitutionError(`value contains the closing $${ctx.tag}$ of its dollar quote`);
      return value;
  }
}

/** Where a quote character at `i` (in code) takes the lexer. */
function openQuote(t: string, i: number, d: SqlDialect): Context | undefined {
  const c = t[i];
  if (c === "'") {
    if (d.kind === "mysql") {
      const style = d.backslashEscapes ? "mysql" : "none";
      return { k: "string", quote: "'", style, backslash: d.backslashEscapes };
    }
    const before = (n: number) => t.slice(Math.max(0, i - n), i);
    const boundary = (n: number) => i - n - 1 < 0 || !IDENT_CHAR.test(t[i - n - 1]);
    if (/^[eE]$/.test(before(1)) && boundary(1))
      return { k: "string", quote: "'", style: "pg", backslash: true };
    if (/^[uU]&$/.test(before(2)) && boundary(2))
      return { k: "string", quote: "'", style: "pg", backslash: false };
    return { k: "string", quote: "'", style: "none", backslash: false };
  }
  if (c === '"') {
    if (d.ansiQuotes) return { k: "ident", quote: '"' };
    const style = d.backslashEscapes ? "mysql" : "none";
    return { k: "string", quote: '"', style, backslash: d.backslashEscapes };
  }
  if (c === "`" && d.kind === "mysql") return { k: "ident", quote: "`" };
  return undefined;
}

export function expandClause(template: string, params: Record<string, string>, d: SqlDialect): string {
  let out = "";
  let ctx: Context = CODE;
  let i = 0;
  const t = template;
  while (i < t.length) {
    if (t.startsWith("$(", i)) {
      const close = t.indexOf(")", i + 2);
      const name = close < 0 ? "" : t.slice(i + 2, close);
      out += render(Object.hasOwn(params, name) ? params[name] : "", ctx, d);
      i = close < 0 ? t.length : close + 1;
      continue;
    }
    const c = t[i];
    const next = t[i + 1];
    let take = 1;
    switch (ctx.k) {
      case "code": {
        const q = openQuote(t, i, d);
        if (q) ctx = q;
        else if (d.kind === "mysql" && c === "#") ctx = { k: "line-comment" };
        else if (c === "-" && next === "-") {
          // MySQL needs whitespace or a control character (or the end) after "--".
          const after = t[i + 2];
          if (d.kind === "pgsql" || after === undefined || after <= " ") ctx = { k: "line-comment" };
        } else if (c === "/" && next === "*") {
          take = 2;
          // MySQL/MariaDB run the inside of /*! … */ and /*M! … */ as code.
          const executable = d.kind === "mysql" && (t[i + 2] === "!" || t.startsWith("M!", i + 2));
          if (!executable) ctx = { k: "block-comment", depth: 1 };
        } else if (d.kind === "pgsql" && c === "$" && (i === 0 || !IDENT_CHAR.test(t[i - 1]))) {
          DOLLAR_TAG.lastIndex = i;
          const m = DOLLAR_TAG.exec(t);
          if (m) {
            ctx = { k: "dollar", tag: m[0].slice(1, -1) };
            take = m[0].length;
          }
        }
        break;
      }
      case "string":
        if (ctx.backslash && c === "\\") {
          if (t.startsWith("$(", i + 1))
            throw new UnsafeSubstitutionError("a backslash right before $(…) inside a quoted string");
          take = 2;
        } else if (c === ctx.quote) {
          if (next === ctx.quote) take = 2;
          else ctx = CODE;
        }
        break;
      case "ident":
        if (c === ctx.quote) {
          if (next === ctx.quote) take = 2;
          else ctx = CODE;
        }
        break;
      case "line-comment":
        if (c === "\n") ctx = CODE;
        break;
      case "block-comment":
        if (c === "*" && next === "/") {
          take = 2;
          ctx = ctx.depth > 1 ? { k: "block-comment", depth: ctx.depth - 1 } : CODE;
        } else if (d.kind === "pgsql" && c === "/" && next === "*") {
          take = 2;
          ctx = { k: "block-comment", depth: ctx.depth + 1 };
        }
        break;
      case "dollar":
        if (t.startsWith(`$${ctx.tag}$`, i)) {
          take = ctx.tag.length + 2;
          ctx = CODE;
        }
        break;
    }
    out += t.slice(i, i + take);
    i += take;
  }
  return out;
}
