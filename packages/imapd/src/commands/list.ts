// LIST and LSUB <reference> <pattern> (RFC 3501 §6.3.8, §6.3.9) over the Courier namespace:
// INBOX and its `INBOX.`-prefixed folders, separator `.`, with \Noselect for hierarchy-only
// nodes and \HasChildren/\HasNoChildren (RFC 3348). LSUB lists subscriptions (not checked
// for existence, as Courier) plus, for `%`, unsubscribed parents as \Noselect.
// LIST-EXTENDED (RFC 5258), when advertised: selection options (SUBSCRIBED REMOTE
// RECURSIVEMATCH SPECIAL-USE), several patterns, RETURN (SUBSCRIBED CHILDREN SPECIAL-USE);
// with LIST-STATUS (RFC 5819) also RETURN (STATUS (<items>)), a `* STATUS` after each
// selectable mailbox listed.

import { mailboxToWire } from "@courier-imap/maildir";
import { imapString, utf8Enabled } from "../mailbox/names.js";
import { fullPattern, matchPattern } from "../mailbox/pattern.js";
import { advertised, specialUseLookup } from "../mailbox/special-use.js";
import { astring, expectCount } from "../parser/args.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import { parseStatusItems, statusValues } from "./status.js";
import type { CommandHandler } from "./types.js";

const MAX_WILDCARDS = 20;

type Cmd = Parameters<CommandHandler>[1];

function optionWords(tok: Token, what: string): string[] {
  if (tok.t !== "list") throw new BadCommand(`Invalid ${what}`);
  return tok.v.map((t) => {
    if (t.t !== "atom") throw new BadCommand(`Invalid ${what}`);
    return t.v.toUpperCase();
  });
}

function isExtended(s: Session, cmd: Cmd): boolean {
  if (cmd.name !== "LIST" || !advertised(s, "LIST-EXTENDED")) return false;
  const a = cmd.args;
  return a.length > 2 || a[0]?.t === "list" || a[1]?.t === "list";
}

const canonical = (n: string) => (/^inbox(\.|$)/i.test(n) ? `INBOX${n.slice(5)}` : n);

async function extendedList(s: Session, cmd: Cmd): Promise<void> {
  const args = [...cmd.args];
  const select = new Set(args[0]?.t === "list" ? optionWords(args.shift()!, "LIST selection option") : []);
  for (const o of select)
    if (!["SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"].includes(o))
      throw new BadCommand("Invalid LIST selection option");
  if (select.has("RECURSIVEMATCH") && select.size === (select.has("REMOTE") ? 2 : 1))
    throw new BadCommand("RECURSIVEMATCH needs another selection option");
  if (args.length !== 2 && args.length !== 4) throw new BadCommand("wrong number of arguments");
  const reference = astring(args[0], "reference");
  const patTok = args[1];
  const patterns =
    patTok.t === "list" ? patTok.v.map((t) => astring(t, "mailbox pattern")) : [astring(patTok)];
  const ret = new Set<string>();
  let statusItems: string[] | undefined;
  if (args.length === 4) {
    if (args[2].t !== "atom" || args[2].v.toUpperCase() !== "RETURN" || args[3].t !== "list")
      throw new BadCommand("Invalid LIST return options");
    const toks = args[3].v;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const w = t.t === "atom" ? t.v.toUpperCase() : "";
      if (w === "STATUS" && advertised(s, "LIST-STATUS") && toks[i + 1]?.t === "list" && !statusItems)
        statusItems = parseStatusItems(s, toks[++i]);
      else if (["SUBSCRIBED", "CHILDREN", "SPECIAL-USE"].includes(w)) ret.add(w);
      else throw new BadCommand("Invalid LIST return option");
    }
  }
  if (select.has("SUBSCRIBED")) ret.add("SUBSCRIBED");
  const specialUse = advertised(s, "SPECIAL-USE");
  if ((select.has("SPECIAL-USE") || ret.has("SPECIAL-USE")) && !specialUse)
    throw new BadCommand("SPECIAL-USE is not enabled");
  const utf8 = utf8Enabled(s);
  const fulls = patterns.map((p) => fullPattern(reference, p));
  for (const f of fulls)
    if ((f.match(/[*%]/g)?.length ?? 0) > MAX_WILDCARDS) throw new CommandRefused("Invalid argument");
  const matches = (name: string) => fulls.some((f) => f !== "" && matchPattern(f, mailboxToWire(name, utf8)));
  const maildir = s.maildir!;
  const specialUseOf = specialUseLookup(s);
  const folders = await maildir.listFolders();
  const byName = new Map(folders.map((f) => [f.name, f]));
  const subscribed = ret.has("SUBSCRIBED") ? (await maildir.subscriptions()).map(canonical) : [];
  const subSet = new Set(subscribed);
  const names: string[] = folders.map((f) => f.name);
  if (select.has("SUBSCRIBED")) {
    for (const n of subscribed) if (!byName.has(n) && !names.includes(n)) names.push(n);
    if (select.has("RECURSIVEMATCH"))
      for (const n of subscribed) {
        const parts = n.split(".");
        for (let i = 1; i < parts.length; i++) {
          const p = parts.slice(0, i).join(".");
          if (!names.includes(p)) names.push(p);
        }
      }
  }
  if (fulls.includes("")) s.untagged('LIST (\\Noselect) "." ""');
  for (const name of names) {
    if (!matches(name)) continue;
    const f = byName.get(name);
    const use = f ? await specialUseOf(name) : undefined;
    const childInfo: string[] = [];
    if (select.has("RECURSIVEMATCH")) {
      if (select.has("SUBSCRIBED") && subscribed.some((n) => n.startsWith(`${name}.`)))
        childInfo.push('"SUBSCRIBED"');
      if (select.has("SPECIAL-USE")) {
        const children = folders.filter((c) => c.name.startsWith(`${name}.`));
        const uses = await Promise.all(children.map((c) => specialUseOf(c.name)));
        if (uses.some((u) => u !== undefined)) childInfo.push('"SPECIAL-USE"');
      }
    }
    let selected = true;
    if (select.has("SUBSCRIBED") && !subSet.has(name)) selected = false;
    if (select.has("SPECIAL-USE") && use === undefined) selected = false;
    if (!selected && !childInfo.length) continue;
    const attrs: string[] = [];
    if (!f) attrs.push("\\NonExistent");
    else {
      if (!f.selectable) attrs.push("\\Noselect");
      attrs.push(f.hasChildren ? "\\HasChildren" : "\\HasNoChildren");
      if (use) attrs.push(use);
    }
    if (ret.has("SUBSCRIBED") && subSet.has(name)) attrs.push("\\Subscribed");
    const wire = imapString(mailboxToWire(name, utf8));
    const ext = childInfo.length ? ` ("CHILDINFO" (${childInfo.join(" ")}))` : "";
    s.untagged(`LIST (${attrs.join(" ")}) "." ${wire}${ext}`);
    if (statusItems && f?.selectable) {
      try {
        s.untagged(`STATUS ${wire} ${await statusValues(s, name, statusItems)}`);
      } catch {
        // a folder removed meanwhile: no STATUS for it (RFC 5819 §2)
      }
    }
  }
  s.tagged(cmd.tag, "OK", "LIST completed");
}

export const run: CommandHandler = async (s, cmd) => {
  if (isExtended(s, cmd)) return extendedList(s, cmd);
  expectCount(cmd.args, 2);
  const lsub = cmd.name === "LSUB";
  const reference = astring(cmd.args[0], "reference");
  const pattern = astring(cmd.args[1], "mailbox pattern");
  const utf8 = utf8Enabled(s);
  if (pattern === "" && !lsub) {
    s.untagged('LIST (\\Noselect) "." ""');
    s.tagged(cmd.tag, "OK", "LIST completed");
    return;
  }
  const full = fullPattern(reference, pattern);
  if ((full.match(/[*%]/g)?.length ?? 0) > MAX_WILDCARDS) throw new CommandRefused("Invalid argument");
  const matches = (fsName: string) => matchPattern(full, mailboxToWire(fsName, utf8));
  const maildir = s.maildir!;
  if (!lsub) {
    const listed = (await maildir.listFolders()).filter((f) => matches(f.name));
    const specialUseOf = specialUseLookup(s);
    const uses = await Promise.all(listed.map((f) => specialUseOf(f.name)));
    for (const [i, f] of listed.entries()) {
      const attrs = [
        f.selectable ? "" : "\\Noselect",
        f.hasChildren ? "\\HasChildren" : "\\HasNoChildren",
        uses[i] ?? "",
      ];
      s.untagged(`LIST (${attrs.filter(Boolean).join(" ")}) "." ${imapString(mailboxToWire(f.name, utf8))}`);
    }
    s.tagged(cmd.tag, "OK", "LIST completed");
    return;
  }
  const subscribed = (await maildir.subscriptions()).map((n) =>
    /^inbox(\.|$)/i.test(n) ? `INBOX${n.slice(5)}` : n,
  );
  const shown = new Set<string>();
  for (const name of subscribed) {
    if (shown.has(name)) continue;
    if (matches(name)) {
      shown.add(name);
      s.untagged(`LSUB () "." ${imapString(mailboxToWire(name, utf8))}`);
    }
  }
  if (full.endsWith("%")) {
    const set = new Set(subscribed);
    for (const name of subscribed) {
      const parts = name.split(".");
      for (let i = 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join(".");
        if (set.has(parent) || shown.has(parent) || !matches(parent)) continue;
        shown.add(parent);
        s.untagged(`LSUB (\\Noselect) "." ${imapString(mailboxToWire(parent, utf8))}`);
      }
    }
  }
  s.tagged(cmd.tag, "OK", "LSUB completed");
};
