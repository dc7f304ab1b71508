// pw2userdb / vchkpw2userdb conversions (spec/userdb.md §11, §12): passwd-format files
// (/etc/passwd, vpopmail's vpasswd) to userdb text lines.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface Pw2UserdbOptions {
  /** Appended as `@domain` to every account name. */
  domain?: string;
  /** Replaces every uid/gid (pw2userdb's --vpopuid: those of the vpopmail account). */
  fixedIds?: { uid: string; gid: string };
  /** Omit the reverse `<uid>=<TAB><name>` lines. */
  nouid?: boolean;
}

interface PwEntry {
  uid: string;
  gid: string;
  home: string;
  shell: string;
  gecos: string;
  password?: string;
}

const contentLines = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));

/** Parses passwd-format text: `name:pw:uid:gid:gecos:home:shell`; a password of `x` means "in shadow". */
export function parsePasswd(text: string): Map<string, PwEntry> {
  const out = new Map<string, PwEntry>();
  for (const line of contentLines(text)) {
    const [name, pw = "", uid = "", gid = "", gecos = "", home = "", shell = ""] = line.split(":");
    out.set(name, {
      uid,
      gid,
      home,
      shell,
      gecos: gecos.replace(/\|/g, "."),
      password: pw !== "x" ? pw : undefined,
    });
  }
  return out;
}

/** Shadow passwords override the passwd ones, locks (`*`, `!…`) included. */
export function applyShadow(entries: Map<string, PwEntry>, shadowText: string): void {
  for (const line of contentLines(shadowText)) {
    const [name, pw = ""] = line.split(":");
    const e = entries.get(name);
    if (e) e.password = pw;
  }
}

/**
 * The userdb lines, in file order. A reverse uid line is written for the first account with
 * that uid only: Courier's repeats it, and makeuserdb then fails on the duplicate key.
 */
export function toUserdbLines(
  entries: Map<string, PwEntry>,
  opts: Pw2UserdbOptions = {},
): { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  const uidOwner = new Map<string, string>();
  const suffix = opts.domain ? `@${opts.domain}` : "";
  for (const [name, e] of entries) {
    const uid = opts.fixedIds?.uid ?? e.uid;
    const gid = opts.fixedIds?.gid ?? e.gid;
    let line = `${name}${suffix}\tuid=${uid}|gid=${gid}|home=${e.home}`;
    if (e.shell) line += `|shell=${e.shell}`;
    if (e.password) line += `|systempw=${e.password}`;
    if (e.gecos) line += `|gecos=${e.gecos}`;
    lines.push(line);
    if (opts.nouid) continue;
    const owner = uidOwner.get(uid);
    if (owner === undefined) {
      uidOwner.set(uid, name);
      lines.push(`${uid}=\t${name}`);
    } else warnings.push(`uid ${uid} of ${name} is also ${owner}'s: no second "${uid}=" line`);
  }
  return { lines, warnings };
}

/** A system account's passwd entry through NSS (`getent passwd`), else /etc/passwd. */
export function systemAccount(name: string): { uid: string; gid: string; home: string } | undefined {
  const r = spawnSync("getent", ["passwd", name], { encoding: "utf8" });
  let line = r.status === 0 ? r.stdout.split("\n")[0] : undefined;
  if (line === undefined) {
    try {
      line = readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith(`${name}:`));
    } catch {}
  }
  if (!line) return undefined;
  const f = line.split(":");
  return { uid: f[2], gid: f[3], home: f[5] };
}
