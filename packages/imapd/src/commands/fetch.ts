// FETCH and UID FETCH (RFC 3501 §6.4.5, imapd-behaviour.md §7.3). UID FETCH always returns
// UID first. BODY[...], RFC822 and RFC822.TEXT set \Seen in a read-write session; the new
// FLAGS go into the same response when the client did not ask for them. No EXPUNGE is
// sent during FETCH; messages another session expunged meanwhile are skipped.

import { parseFetchItems } from "../fetch/items.js";
import { writeFetchResponse } from "../fetch/respond.js";
import { saveSummaries } from "../fetch/summary.js";
import { resolveTargets } from "../mailbox/view.js";
import { atom, expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const byUid = cmd.name === "UID FETCH";
  const setText = atom(cmd.args[0], "sequence set");
  const items = parseFetchItems(cmd.args[1]);
  if (byUid && !items.some((i) => i.kind === "UID")) items.unshift({ kind: "UID" });
  const targets = resolveTargets(s, setText, byUid);
  const box = s.mailbox!;
  const marksSeen = !box.readOnly && items.some((i) => i.kind === "BODY" && i.marksSeen);
  const withFlags =
    marksSeen && !items.some((i) => i.kind === "FLAGS") ? [...items, { kind: "FLAGS" as const }] : items;
  for (const t of targets) {
    const msg = t.msg;
    if (!msg) continue;
    let changed = false;
    if (marksSeen && !msg.flags.includes("\\Seen")) changed = await box.folder.addFlags(msg, ["\\Seen"]);
    try {
      await writeFetchResponse(s, box.folder, t.seq, msg, changed ? withFlags : items);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EACCES" && code !== "EISDIR") throw e;
      s.untagged(`NO [ALERT] Cannot open message ${t.seq}`);
    }
    if (s.out.full) await s.out.room();
  }
  s.tagged(cmd.tag, "OK", `${byUid ? "UID FETCH" : "FETCH"} completed.`);
  await saveSummaries(s);
};
