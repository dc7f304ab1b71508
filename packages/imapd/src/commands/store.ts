// STORE / UID STORE <set> [+|-]FLAGS[.SILENT] <flags> (RFC 3501 §6.4.6). A single flag
// without parentheses is accepted (Courier). Read-only (EXAMINE) sessions are refused, as
// the RFC requires (Courier lets non-\Deleted changes through). Unless .SILENT, every
// message named gets `* n FETCH (FLAGS …)` (with UID for UID STORE). No EXPUNGE is sent.

import { keywordKey, QuotaExceededError } from "@courier-imap/maildir";
import { parseFlagArgs } from "../mailbox/flag-args.js";
import { flagsText } from "../mailbox/flags-text.js";
import { flagsResponses, keywordsEnabled } from "../mailbox/selected-flags.js";
import { resolveTargets } from "../mailbox/view.js";
import { atom, expectCount } from "../parser/args.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 3);
  const byUid = cmd.name === "UID STORE";
  const op = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(atom(cmd.args[1], "STORE data item"));
  if (!op) throw new BadCommand("Invalid STORE data item");
  const { flags, keywords } = parseFlagArgs(cmd.args[2], true);
  const targets = resolveTargets(s, atom(cmd.args[0], "message set"), byUid);
  const box = s.mailbox!;
  if (box.readOnly) throw new CommandRefused("Current box is selected READ-ONLY.");
  const folder = box.folder;
  const useKeywords = keywordsEnabled(s);
  const keywordsBefore = folder.keywordNames().length;
  let overQuota = false;
  for (const t of targets) {
    const m = t.msg;
    if (!m) continue;
    try {
      if (op[1] === "+") await folder.addFlags(m, flags);
      else if (op[1] === "-") await folder.removeFlags(m, flags);
      else await folder.setFlags(m, flags);
    } catch (e) {
      if (!(e instanceof QuotaExceededError)) throw e;
      overQuota = true;
    }
    if (useKeywords && (keywords.length || op[1] === "")) {
      if (op[1] === "+") await folder.addKeywords(m, keywords);
      else if (op[1] === "-") {
        const drop = new Set(keywords.map(keywordKey));
        if (m.keywords.some((k) => drop.has(keywordKey(k)))) await folder.removeKeywords(m, keywords);
      } else await folder.setKeywords(m, keywords);
    }
  }
  if (folder.keywordNames().length !== keywordsBefore) for (const line of flagsResponses(s)) s.untagged(line);
  const silent = !!op[2];
  for (const t of targets) {
    if (!t.msg || silent) continue;
    s.untagged(`${t.seq} FETCH (${byUid ? `UID ${t.uid} ` : ""}FLAGS ${flagsText(t.msg)})`);
  }
  if (overQuota) throw new CommandRefused("[OVERQUOTA] You exceeded your mail quota.");
  s.tagged(cmd.tag, "OK", `${byUid ? "UID STORE" : "STORE"} completed.`);
};
