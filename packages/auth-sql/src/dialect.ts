// How the connected server reads SQL text, as far as quoting is concerned. MySQL's depends on
// the session's sql_mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES), read after connecting; the
// PostgreSQL driver turns standard_conforming_strings on, so a '…' literal has no escapes.

export interface SqlDialect {
  readonly kind: "mysql" | "pgsql";
  /** The n-th (1-based) bound parameter: `?` or `$n`. */
  placeholder(n: number): string;
  /** MySQL without NO_BACKSLASH_ESCAPES: `\` escapes inside '…' and "…" literals. */
  readonly backslashEscapes: boolean;
  /** "…" quotes an identifier (PostgreSQL; MySQL with ANSI_QUOTES), not a string. */
  readonly ansiQuotes: boolean;
}

export function mysqlDialect(sqlMode: string): SqlDialect {
  const modes = sqlMode.toUpperCase().split(",");
  return {
    kind: "mysql",
    placeholder: () => "?",
    backslashEscapes: !modes.includes("NO_BACKSLASH_ESCAPES"),
    ansiQuotes: modes.includes("ANSI_QUOTES") || modes.includes("ANSI"),
  };
}

export const PGSQL_DIALECT: SqlDialect = {
  kind: "pgsql",
  placeholder: (n) => `$${n}`,
  backslashEscapes: false,
  ansiQuotes: true,
};
