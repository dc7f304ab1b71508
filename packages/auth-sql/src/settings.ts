// The table/field settings authmysqlrc and authpgsqlrc share (spec/auth-modules.md §8.1, §9),
// read with the module's prefix (MYSQL_ / PGSQL_). Every *_FIELD value is an SQL expression
// inserted verbatim (`''`, CONCAT(…), '{MD5}' || col …), as in Courier; `''` means "none".

export class SqlSettingsError extends Error {
  override name = "SqlSettingsError";
}

export interface SqlFieldSettings {
  table: string;
  cryptField: string;
  clearField: string;
  uidField: string;
  gidField: string;
  loginField: string;
  homeField: string;
  nameField: string;
  maildirField: string;
  defaultDeliveryField: string;
  quotaField: string;
  auxOptionsField: string;
  whereClause: string;
  selectClause?: string;
  enumerateClause?: string;
  chpassClause?: string;
  defaultDomain: string;
}

export const NONE = "''";

/** A field setting: absent or empty means `''` (no such column). */
export const isSet = (field: string): boolean => field !== NONE;

export function readFieldSettings(
  rc: Map<string, string>,
  prefix: "MYSQL" | "PGSQL",
  file: string,
): SqlFieldSettings {
  const get = (name: string) => {
    const v = rc.get(`${prefix}_${name}`);
    return v === undefined || v === "" ? undefined : v;
  };
  const field = (name: string, dflt: string) => get(name) ?? dflt;
  const s: SqlFieldSettings = {
    table: get("USER_TABLE") ?? "",
    cryptField: field("CRYPT_PWFIELD", NONE),
    clearField: field("CLEAR_PWFIELD", NONE),
    uidField: field("UID_FIELD", "uid"),
    gidField: field("GID_FIELD", "gid"),
    loginField: field("LOGIN_FIELD", "id"),
    homeField: field("HOME_FIELD", "home"),
    nameField: field("NAME_FIELD", NONE),
    maildirField: field("MAILDIR_FIELD", NONE),
    // Courier's source reads MYSQL_DEFAULTDELIVERY_FIELD and PGSQL_DEFAULTDELIVERY; its
    // comments say MYSQL_DEFAULTDELIVERY. All three spellings are accepted for either module.
    defaultDeliveryField: get("DEFAULTDELIVERY_FIELD") ?? get("DEFAULTDELIVERY") ?? NONE,
    quotaField: field("QUOTA_FIELD", NONE),
    auxOptionsField: field("AUXOPTIONS_FIELD", NONE),
    whereClause: field("WHERE_CLAUSE", "1=1"),
    selectClause: get("SELECT_CLAUSE"),
    enumerateClause: get("ENUMERATE_CLAUSE"),
    chpassClause: get("CHPASS_CLAUSE"),
    defaultDomain: rc.get("DEFAULT_DOMAIN") ?? "",
  };
  // MySQL checks the table and password fields always; PostgreSQL only when one of the
  // custom clauses is missing (the default queries need them).
  const needed = prefix === "MYSQL" || !(s.selectClause && s.enumerateClause && s.chpassClause);
  if (needed && !s.table) throw new SqlSettingsError(`${file}: ${prefix}_USER_TABLE is not set`);
  if (needed && !isSet(s.cryptField) && !isSet(s.clearField))
    throw new SqlSettingsError(
      `${file}: neither ${prefix}_CRYPT_PWFIELD nor ${prefix}_CLEAR_PWFIELD is set (one is required)`,
    );
  return s;
}

/** The login split for $(local_part) and $(domain); the domain defaults to DEFAULT_DOMAIN. */
export function loginParts(login: string, defaultDomain: string): { local_part: string; domain: string } {
  const at = login.indexOf("@");
  return at < 0
    ? { local_part: login, domain: defaultDomain }
    : { local_part: login.slice(0, at), domain: login.slice(at + 1) };
}

/** The login the default query looks up: `@DEFAULT_DOMAIN` appended when it has no `@`. */
export function fullLogin(login: string, defaultDomain: string): string {
  return !login.includes("@") && defaultDomain ? `${login}@${defaultDomain}` : login;
}
