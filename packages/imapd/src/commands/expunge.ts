// EXPUNGE and UID EXPUNGE <set> (RFC 3501 §6.4.3, RFC 4315 §2.1): removes the \Deleted
// messages (only those in the UID set for UID EXPUNGE), then reports every change since
// the client last looked, `* n EXPUNGE` first.

import { reportChanges } from "../mailbox/rescan.js";
import { resolveTargets } from "../mailbox/view.js";
import { atom, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  const byUid = cmd.name === "UID EXPUNGE";
  expectCount(cmd.args, byUid ? 1 : 0);
  const only = byUid ? resolveTargets(s, atom(cmd.args[0], "UID set"), true).map((t) => t.uid) : undefined;
  const box = s.mailbox!;
  if (box.readOnly) throw new CommandRefused("Cannot expunge read-only mailbox.");
  const keywordsBefore = box.folder.keywordNames().length;
  const changes = await box.folder.expunge(only);
  reportChanges(s, changes, true, keywordsBefore);
  s.tagged(cmd.tag, "OK", "EXPUNGE completed");
};
