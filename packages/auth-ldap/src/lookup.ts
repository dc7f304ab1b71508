// Finding the one entry for a login (spec/auth-modules.md §7.3, §7.7): the plain search, or
// the email map's two steps. "Not found" (no entry, several entries, a base DN that does not
// exist) is a normal answer; a server that cannot be reached throws LdapUnavailableError.

import { type Entry, ResultCodeError } from "ldapts";
import { lookupAttributes } from "./account.js";
import type { LdapConfig } from "./config.js";
import type { LdapConnection } from "./connection.js";
import { first } from "./entry.js";
import { accountFilter, emailmapFilter } from "./filter.js";

export type Log = (msg: string) => void;

/** noSuchObject, aliasProblem, invalidDNSyntax, aliasDereferencingProblem: "not found". */
const NAME_ERRORS = new Set([32, 33, 34, 36]);
const SIZE_LIMIT_EXCEEDED = 4;

async function searchOne(
  conn: LdapConnection,
  cfg: LdapConfig,
  base: string,
  filter: string,
  attributes: string[],
  log: Log,
): Promise<Entry | undefined> {
  let entries: Entry[];
  try {
    const r = await conn.run((c) =>
      c.search(base, {
        scope: "sub",
        filter,
        attributes: attributes.length ? attributes : ["1.1"],
        sizeLimit: 100,
        timeLimit: cfg.timeoutSec,
        derefAliases: cfg.deref,
      }),
    );
    entries = r.searchEntries;
  } catch (e) {
    if (e instanceof ResultCodeError && NAME_ERRORS.has(e.code)) return undefined;
    if (e instanceof ResultCodeError && e.code === SIZE_LIMIT_EXCEEDED) {
      log(`authldap: more than 100 entries match ${filter} (need exactly 1)`);
      return undefined;
    }
    throw e;
  }
  if (entries.length !== 1) {
    if (entries.length > 1) log(`authldap: ${entries.length} entries match ${filter} (need exactly 1)`);
    return undefined;
  }
  return entries[0];
}

/** The account entry for `login`, or undefined. `debug` gets the decision, `err` the problems. */
export async function findEntry(
  conn: LdapConnection,
  cfg: LdapConfig,
  login: string,
  debug: Log,
  err: Log,
): Promise<Entry | undefined> {
  let attr = cfg.mailAttr;
  let value = login;
  if (cfg.emailmap && login.includes("@")) {
    const mapFilter = emailmapFilter(cfg.emailmap, login);
    debug(`authldap: using emailmap search: ${mapFilter}`);
    const mapped = await searchOne(conn, cfg, cfg.emailmapBaseDn, mapFilter, [cfg.emailmapAttr], err);
    if (!mapped) {
      err(`emailmap: no single entry returned from search ${mapFilter}`);
      return undefined;
    }
    const handle = first(mapped, cfg.emailmapAttr);
    if (!handle) {
      err(`emailmap: empty attribute ${cfg.emailmapAttr} in ${mapped.dn}`);
      return undefined;
    }
    debug(`authldap: emailmap handle ${handle}`);
    attr = cfg.emailmapMail;
    value = handle;
  }
  const filter = accountFilter(cfg, attr, value);
  debug(`authldap: search for ${filter} in ${cfg.baseDn}`);
  const entry = await searchOne(conn, cfg, cfg.baseDn, filter, lookupAttributes(cfg), err);
  if (!entry) debug(`authldap: ${login} not found`);
  return entry;
}
