// MOVE / UID MOVE <set> <mailbox> (RFC 6851): copy, then expunge the originals. The COPYUID
// (RFC 4315) goes in an untagged OK before the `* n EXPUNGE` lines (RFC 6851 §4.3). Missing
// destination: [TRYCREATE]; a read-only session cannot move (the originals cannot go).

import { NoSuchFolderError, QuotaExceededError } from "@courier-imap/maildir";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg } from "../mailbox/names.js";
import { reportChanges } from "../mailbox/rescan.js";
import { compressSet, resolveTargets } from "../mailbox/view.js";
import { atom, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const byUid = cmd.name === "UID MOVE";
  const targets = resolveTargets(s, atom(cmd.args[0], "message set"), byUid);
  const name = mailboxArg(s, cmd.args[1]);
  const box = s.mailbox!;
  if (box.readOnly) throw new CommandRefused("Current box is selected READ-ONLY.");
  const msgs = targets.flatMap((t) => (t.msg ? [t.msg] : []));
  let dest: Awaited<ReturnType<NonNullable<typeof s.maildir>["folder"]>>;
  try {
    dest = await s.maildir!.folder(name);
  } catch (e) {
    if (e instanceof NoSuchFolderError) throw new CommandRefused("[TRYCREATE] Mailbox does not exist.");
    refuseMaildirError(e);
  }
  if (msgs.length < targets.length && !byUid) {
    throw new CommandRefused("Some of the requested messages no longer exist.");
  }
  const verb = byUid ? "UID MOVE" : "MOVE";
  if (!msgs.length) {
    s.tagged(cmd.tag, "OK", `${verb} completed.`);
    return;
  }
  if (dest.path === box.folder.path) {
    // moving into the same folder: nothing to copy or expunge (RFC 6851 leaves it to us)
    s.tagged(cmd.tag, "OK", `${verb} completed.`);
    return;
  }
  const keywordsBefore = box.folder.keywordNames().length;
  let r: Awaited<ReturnType<typeof box.folder.moveTo>>;
  try {
    r = await box.folder.moveTo(msgs, dest);
  } catch (e) {
    if (e instanceof QuotaExceededError)
      throw new CommandRefused("[OVERQUOTA] You exceeded your mail quota.");
    if ((e as NodeJS.ErrnoException).code)
      throw new CommandRefused("[ALERT] MOVE failed - no write permission or out of disk space.");
    throw e;
  }
  s.untagged(
    `OK [COPYUID ${r.uidValidity} ${compressSet(r.pairs.map((p) => p[0]))} ${compressSet(r.pairs.map((p) => p[1]))}] Moved`,
  );
  reportChanges(s, r.changes, true, keywordsBefore);
  s.tagged(cmd.tag, "OK", `${verb} completed.`);
};
