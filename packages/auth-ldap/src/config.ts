// authldaprc settings (spec/auth-modules.md §7.1) turned into a checked configuration. Any
// error here makes every request a temporary failure until the file is fixed.

import { FilterParser } from "ldapts";
import { resolveId } from "./ids.js";

export type Deref = "never" | "search" | "find" | "always";

export interface AuxOption {
  attr: string;
  option: string;
}

export interface LdapConfig {
  uris: string[];
  protocolVersion: number;
  baseDn: string;
  bindDn?: string;
  bindPw?: string;
  initBind: boolean;
  authBind: boolean;
  timeoutSec: number;
  startTls: boolean;
  deref: Deref;
  mailAttr: string;
  filter?: string;
  domain?: string;
  globUid?: number;
  globGid?: number;
  homeAttr: string;
  mailroot?: string;
  maildirAttr?: string;
  defaultDeliveryAttr?: string;
  quotaAttr?: string;
  fullnameAttr?: string;
  clearPwAttr?: string;
  cryptPwAttr?: string;
  uidAttr?: string;
  gidAttr?: string;
  auxOptions: AuxOption[];
  enumerateFilter?: string;
  emailmap?: string;
  emailmapBaseDn: string;
  emailmapAttr: string;
  emailmapMail: string;
}

const DEREF: Record<string, Deref> = {
  never: "never",
  searching: "search",
  finding: "find",
  always: "always",
};

/** A configured filter, wrapped in parentheses when the admin left them out, and checked. */
function checkedFilter(setting: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const f = value.startsWith("(") ? value : `(${value})`;
  try {
    FilterParser.parseString(f);
  } catch (e) {
    throw new Error(`${setting}: bad LDAP filter ${value}: ${(e as Error).message}`);
  }
  return f;
}

/** `attr=optname,attr2,…`; an omitted option name means the attribute's name (documented meaning). */
export function parseAuxOptions(value: string | undefined): AuxOption[] {
  const out: AuxOption[] = [];
  for (const item of (value ?? "").split(",")) {
    const pair = item.trim();
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const attr = eq < 0 ? pair : pair.slice(0, eq);
    const option = eq < 0 ? attr : pair.slice(eq + 1) || attr;
    if (attr) out.push({ attr, option });
  }
  return out;
}

export function buildConfig(rc: Map<string, string>): LdapConfig {
  const get = (k: string) => {
    const v = rc.get(k);
    return v === undefined || v === "" ? undefined : v;
  };
  const flag = (k: string) => (Number.parseInt(get(k) ?? "0", 10) || 0) !== 0;

  const uris = (get("LDAP_URI") ?? "").split(/[\s,]+/).filter(Boolean);
  if (!uris.length) throw new Error("LDAP_URI not set in authldaprc");
  for (const u of uris)
    if (!/^ldaps?:\/\/|^ldapi:\/\//i.test(u))
      throw new Error(`LDAP_URI: ${u} is not an ldap://, ldaps:// or ldapi:// URI`);
  const baseDn = get("LDAP_BASEDN");
  if (!baseDn) throw new Error("LDAP_BASEDN not set in authldaprc");

  const protocolVersion = Number.parseInt(get("LDAP_PROTOCOL_VERSION") ?? "0", 10) || 0;
  if (![0, 2, 3].includes(protocolVersion))
    throw new Error(`LDAP_PROTOCOL_VERSION ${protocolVersion}: only 2 and 3 exist`);

  const initBind = flag("LDAP_INITBIND");
  const bindDn = get("LDAP_BINDDN");
  const bindPw = rc.get("LDAP_BINDPW");
  if (initBind && (!bindDn || bindPw === undefined))
    throw new Error("LDAP_INITBIND is 1 but LDAP_BINDDN or LDAP_BINDPW is not set");

  const derefName = (get("LDAP_DEREF") ?? "never").toLowerCase();
  const deref = DEREF[derefName];
  if (!deref) throw new Error(`LDAP_DEREF: ${derefName} is not one of never, searching, finding, always`);

  const timeoutSec = Number.parseInt(get("LDAP_TIMEOUT") ?? "5", 10) || 5;
  const glob = (k: string, db: "passwd" | "group") => {
    const v = get(k);
    return v === undefined ? undefined : resolveId(k, v, db);
  };
  const mailAttr = get("LDAP_MAIL") ?? "mail";
  return {
    uris,
    protocolVersion,
    baseDn,
    bindDn,
    bindPw,
    initBind,
    authBind: flag("LDAP_AUTHBIND"),
    timeoutSec,
    startTls: flag("LDAP_TLS"),
    deref,
    mailAttr,
    filter: checkedFilter("LDAP_FILTER", get("LDAP_FILTER")),
    domain: get("LDAP_DOMAIN"),
    globUid: glob("LDAP_GLOB_UID", "passwd"),
    globGid: glob("LDAP_GLOB_GID", "group"),
    homeAttr: get("LDAP_HOMEDIR") ?? "homeDir",
    mailroot: get("LDAP_MAILROOT"),
    maildirAttr: get("LDAP_MAILDIR"),
    defaultDeliveryAttr: get("LDAP_DEFAULTDELIVERY"),
    quotaAttr: get("LDAP_MAILDIRQUOTA"),
    fullnameAttr: get("LDAP_FULLNAME"),
    clearPwAttr: get("LDAP_CLEARPW"),
    cryptPwAttr: get("LDAP_CRYPTPW"),
    uidAttr: get("LDAP_UID"),
    gidAttr: get("LDAP_GID"),
    auxOptions: parseAuxOptions(get("LDAP_AUXOPTIONS")),
    enumerateFilter: checkedFilter("LDAP_ENUMERATE_FILTER", get("LDAP_ENUMERATE_FILTER")),
    emailmap: get("LDAP_EMAILMAP"),
    emailmapBaseDn: get("LDAP_EMAILMAP_BASEDN") ?? baseDn,
    emailmapAttr: get("LDAP_EMAILMAP_ATTRIBUTE") ?? "handle",
    emailmapMail: get("LDAP_EMAILMAP_MAIL") ?? mailAttr,
  };
}
