// Search filters for account lookups (spec/auth-modules.md §7.3, §7.7, §7.8). Every value that
// comes from a client is escaped per RFC 4515, so a login cannot add filter components.

import type { LdapConfig } from "./config.js";

/** RFC 4515 value escaping: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** The lookup value: the login, with `@LDAP_DOMAIN` when it has no `@` and a domain is set. */
export function lookupValue(login: string, domain: string | undefined): string {
  return domain && !login.includes("@") ? `${login}@${domain}` : login;
}

/** `(attr=value)`, ANDed with LDAP_FILTER when one is configured. */
export function accountFilter(cfg: LdapConfig, attr: string, value: string): string {
  const own = `(${attr}=${escapeFilterValue(lookupValue(value, cfg.domain))})`;
  return cfg.filter ? `(&${cfg.filter}${own})` : own;
}

/**
 * LDAP_EMAILMAP with `@user@` and `@realm@` replaced by the escaped parts of `login` (split at
 * the first `@`); any other `@word@` is removed, as in Courier.
 */
export function emailmapFilter(template: string, login: string): string {
  const at = login.indexOf("@");
  const user = escapeFilterValue(login.slice(0, at));
  const realm = escapeFilterValue(login.slice(at + 1));
  const out = template.replace(/@([A-Za-z0-9_]*)@/g, (_m, word: string) =>
    word === "user" ? user : word === "realm" ? realm : "",
  );
  return out.startsWith("(") ? out : `(${out})`;
}

/** ENUMERATE: LDAP_ENUMERATE_FILTER, else LDAP_FILTER, else `(<LDAP_MAIL>=*)`. */
export function enumerateFilter(cfg: LdapConfig): string {
  return cfg.enumerateFilter ?? cfg.filter ?? `(${cfg.mailAttr}=*)`;
}
