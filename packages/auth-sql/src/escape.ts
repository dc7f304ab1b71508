// Escaping a value for the place it is substituted into in an admin's SQL clause.

import type { SqlDialect } from "./dialect.js";

export class UnsafeSubstitutionError extends Error {
  override name = "UnsafeSubstitutionError";
}

/**
 * How a literal treats backslashes: `none` (standard SQL, PostgreSQL '…', MySQL with
 * NO_BACKSLASH_ESCAPES), `mysql` (MySQL's default), `pg` (PostgreSQL E'…' and U&'…').
 */
export type StringStyle = "none" | "mysql" | "pg";

/** Content for inside a string literal delimited by `quote` (the delimiters are the admin's). */
export function escapeInString(value: string, quote: string, style: StringStyle): string {
  if (value.includes("\0")) throw new UnsafeSubstitutionError("value contains a NUL byte");
  if (style === "none") return value.split(quote).join(quote + quote);
  if (style === "pg")
    return value
      .replace(/\\/g, "\\\\")
      .split(quote)
      .join(quote + quote);
  // mysql_real_escape_string: correct inside '…' and "…" alike.
  return value.replace(/[\\'"\n\r\x1a]/g, (c) => {
    switch (c) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\x1a":
        return "\\Z";
      default:
        return `\\${c}`;
    }
  });
}

/** A complete string literal, for a substitution the admin did not put inside quotes. */
export function stringLiteral(value: string, d: SqlDialect): string {
  return `'${escapeInString(value, "'", d.backslashEscapes ? "mysql" : "none")}'`;
}

/** Content for inside a quoted identifier (`…` or "…"): the delimiter doubled, nothing else. */
export function escapeInIdentifier(value: string, quote: string): string {
  if (value.includes("\0")) throw new UnsafeSubstitutionError("value contains a NUL byte");
  return value.split(quote).join(quote + quote);
}
