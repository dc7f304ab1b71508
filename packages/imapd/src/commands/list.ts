// LIST and LSUB <reference> <pattern> (RFC 3501 §6.3.8, §6.3.9) over the Courier namespace:
// INBOX and its `INBOX.`-prefixed folders, separator `.`, with \Noselect for hierarchy-only
// nodes and \HasChildren/\HasNoChildren (RFC 3348). LSUB lists subscriptions (not checked
// for existence, as Courier) plus, for `%`, unsubscribed parents as \Noselect.

import { mailboxToWire } from "@courier-imap/maildir";
import { imapString, utf8Enabled } from "../mailbox/names.js";
import { fullPattern, matchPattern } from "../mailbox/pattern.js";
import { specialUseOf } from "../mailbox/special-use.js";
import { astring, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

const MAX_WILDCARDS = 20;

export const run: CommandHandler = async (s, cmd) => {
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
    for (const f of await maildir.listFolders()) {
      if (!matches(f.name)) continue;
      const attrs = [
        f.selectable ? "" : "\\Noselect",
        f.hasChildren ? "\\HasChildren" : "\\HasNoChildren",
        specialUseOf(s, f.name) ?? "",
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
