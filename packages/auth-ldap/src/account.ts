// An LDAP entry turned into the fields of an authdaemond reply (spec/auth-modules.md §7.4, §7.6).
//
// LDAP_MAILROOT: Courier's source prefixes it to every home, even an absolute one, while its
// documentation says "relative paths only". We follow the documentation: a relative home gets
// MAILROOT/ in front, an absolute home is used as it is (and a warning says what Courier would
// have used, for sites that relied on the old behaviour).

import { isAbsolute } from "node:path";
import type { Entry } from "ldapts";
import type { LdapConfig } from "./config.js";
import { atoi, first, type Warn } from "./entry.js";

export interface Account {
  dn: string;
  uid: number;
  gid: number;
  home: string;
  name?: string;
  maildir?: string;
  quota?: string;
  clearPassword?: string;
  cryptPassword?: string;
  options?: string;
}

/** Every attribute a lookup needs, de-duplicated. */
export function lookupAttributes(cfg: LdapConfig): string[] {
  const list = [
    cfg.homeAttr,
    cfg.maildirAttr,
    cfg.defaultDeliveryAttr,
    cfg.quotaAttr,
    cfg.fullnameAttr,
    cfg.clearPwAttr,
    cfg.cryptPwAttr,
    cfg.uidAttr,
    cfg.gidAttr,
    ...cfg.auxOptions.map((o) => o.attr),
  ];
  return dedupe(list);
}

/** ENUMERATE's attributes: mail, uid, gid, home, maildir and the aux options. */
export function enumerateAttributes(cfg: LdapConfig): string[] {
  return dedupe([
    cfg.mailAttr,
    cfg.uidAttr,
    cfg.gidAttr,
    cfg.homeAttr,
    cfg.maildirAttr,
    ...cfg.auxOptions.map((o) => o.attr),
  ]);
}

function dedupe(list: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of list) {
    if (!a || seen.has(a.toLowerCase())) continue;
    seen.add(a.toLowerCase());
    out.push(a);
  }
  return out;
}

export function homeWithMailroot(cfg: LdapConfig, home: string, warn?: Warn): string {
  if (!cfg.mailroot || !home) return home;
  if (isAbsolute(home)) {
    warn?.(
      `authldap: LDAP_MAILROOT not applied to the absolute home ${home} (Courier would have used ${cfg.mailroot}/${home})`,
    );
    return home;
  }
  return `${cfg.mailroot.replace(/\/+$/, "")}/${home}`;
}

/** OPTIONS from LDAP_AUXOPTIONS: `optname=value` for each attribute with a non-empty value. */
export function auxOptions(cfg: LdapConfig, entry: Entry, warn?: Warn): string | undefined {
  const parts: string[] = [];
  for (const { attr, option } of cfg.auxOptions) {
    const v = first(entry, attr, warn);
    if (v) parts.push(`${option}=${v}`);
  }
  return parts.length ? parts.join(",") : undefined;
}

export function toAccount(cfg: LdapConfig, entry: Entry, service: string, warn?: Warn): Account {
  const uidValue = first(entry, cfg.uidAttr, warn);
  const gidValue = first(entry, cfg.gidAttr, warn);
  const maildirAttr =
    service === "courier" && cfg.defaultDeliveryAttr ? cfg.defaultDeliveryAttr : cfg.maildirAttr;
  return {
    dn: entry.dn,
    uid: uidValue !== undefined ? atoi(uidValue) : (cfg.globUid ?? 0),
    gid: gidValue !== undefined ? atoi(gidValue) : (cfg.globGid ?? 0),
    home: homeWithMailroot(cfg, first(entry, cfg.homeAttr, warn) ?? "", warn),
    name: cfg.fullnameAttr ? (first(entry, cfg.fullnameAttr, warn) ?? "") : undefined,
    maildir: first(entry, maildirAttr, warn),
    quota: first(entry, cfg.quotaAttr, warn),
    clearPassword: first(entry, cfg.clearPwAttr, warn),
    cryptPassword: first(entry, cfg.cryptPwAttr, warn),
    options: auxOptions(cfg, entry, warn),
  };
}
