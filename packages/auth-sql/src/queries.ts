// The statements the modules run (spec/auth-modules.md §8.2-8.5). Our own statements bind the
// login and passwords as real parameters; the admin's custom clauses get escaped values
// (clause.ts) and run without parameters.

import { expandClause } from "./clause.js";
import type { SqlDialect } from "./dialect.js";
import { fullLogin, isSet, loginParts, NONE, type SqlFieldSettings } from "./settings.js";

export interface Statement {
  text: string;
  values: string[];
}

/** Columns: login, crypt, clear, uid, gid, home, maildir, quota, name, options. */
export function lookupStatement(
  s: SqlFieldSettings,
  d: SqlDialect,
  login: string,
  service: string,
): Statement {
  if (s.selectClause)
    return {
      text: expandClause(s.selectClause, { ...loginParts(login, s.defaultDomain), service }, d),
      values: [],
    };
  // Courier mail server lookups (service "courier") read the delivery instructions instead.
  const maildir =
    service === "courier" && isSet(s.defaultDeliveryField) ? s.defaultDeliveryField : s.maildirField;
  const cols = [s.loginField, s.cryptField, s.clearField, s.uidField, s.gidField, s.homeField, maildir];
  cols.push(s.quotaField, s.nameField, s.auxOptionsField);
  return {
    text: `SELECT ${cols.join(", ")} FROM ${s.table} WHERE ${s.loginField} = ${d.placeholder(1)} AND (${s.whereClause})`,
    values: [fullLogin(login, s.defaultDomain)],
  };
}

/** Columns: name, uid, gid, home, maildir, options. */
export function enumerateStatement(s: SqlFieldSettings, d: SqlDialect): Statement {
  if (s.enumerateClause)
    return {
      text: expandClause(
        s.enumerateClause,
        { local_part: "*", domain: s.defaultDomain, service: "enumerate" },
        d,
      ),
      values: [],
    };
  const cols = [s.loginField, s.uidField, s.gidField, s.homeField, s.maildirField, s.auxOptionsField];
  return { text: `SELECT ${cols.join(", ")} FROM ${s.table} WHERE (${s.whereClause})`, values: [] };
}

/** The password update; undefined when no password column is configured. */
export function chpassStatement(
  s: SqlFieldSettings,
  d: SqlDialect,
  req: { login: string; service: string; newpass: string; newcrypt: string },
): Statement | undefined {
  if (s.chpassClause) {
    const params = {
      ...loginParts(req.login, s.defaultDomain),
      service: req.service,
      newpass: req.newpass,
      newpass_crypt: req.newcrypt,
    };
    return { text: expandClause(s.chpassClause, params, d), values: [] };
  }
  const sets: string[] = [];
  const values: string[] = [];
  const bind = (v: string) => {
    values.push(v);
    return d.placeholder(values.length);
  };
  if (s.clearField !== NONE) sets.push(`${s.clearField} = ${bind(req.newpass)}`);
  if (s.cryptField !== NONE) sets.push(`${s.cryptField} = ${bind(req.newcrypt)}`);
  if (!sets.length) return undefined;
  const who = bind(fullLogin(req.login, s.defaultDomain));
  return {
    text: `UPDATE ${s.table} SET ${sets.join(", ")} WHERE ${s.loginField} = ${who} AND (${s.whereClause})`,
    values,
  };
}
