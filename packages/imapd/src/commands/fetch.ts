// FETCH and UID FETCH (imapd-behaviour.md §7.3). UID FETCH always returns UID first.
// BODY[...] / RFC822 set \Seen in a read-write session; the new FLAGS go into the same
// response when the client did not ask for them.

import { parseFetchItems } from "../fetch/items.js";
import { writeFetchResponse } from "../fetch/respond.js";
import { atom, expectCount } from "../parser/args.js";
import { parseSequenceSet, resolveSequenceNumbers, resolveUids } from "../parser/sequence-set.js";
import { BadCommand } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const byUid = cmd.name === "UID FETCH";
  const set = parseSequenceSet(atom(cmd.args[0], "sequence set"));
  if (!set) throw new BadCommand("invalid sequence set");
  const items = parseFetchItems(cmd.args[1]);
  if (byUid && !items.some((i) => i.kind === "UID")) items.unshift({ kind: "UID" });
  const box = s.mailbox!;
  const msgs = box.folder.messages;
  let indexes: number[];
  if (byUid) indexes = resolveUids(set, s.state.selected!.uids);
  else {
    const seqs = resolveSequenceNumbers(set, msgs.length);
    if (!seqs) throw new BadCommand("invalid message sequence number");
    indexes = seqs.map((n) => n - 1);
  }
  const marksSeen = !box.readOnly && items.some((i) => i.kind === "BODY" && i.marksSeen);
  const withFlags =
    marksSeen && !items.some((i) => i.kind === "FLAGS") ? [...items, { kind: "FLAGS" as const }] : items;
  for (const i of indexes) {
    const msg = msgs[i];
    let changed = false;
    if (marksSeen && !msg.flags.includes("\\Seen")) changed = await box.folder.addFlags(msg, ["\\Seen"]);
    try {
      await writeFetchResponse(s, box.folder, i + 1, msg, changed ? withFlags : items);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "EACCES" && code !== "EISDIR") throw e;
      s.untagged(`NO [ALERT] Cannot open message ${i + 1}`);
    }
  }
  s.tagged(cmd.tag, "OK", `${byUid ? "UID FETCH" : "FETCH"} completed.`);
};
