// COPY / UID COPY <set> <mailbox> (RFC 3501 §6.4.7) with COPYUID (RFC 4315). The whole set
// is quota-checked first; a failure leaves nothing behind. A missing destination gets
// [TRYCREATE]. A copy into the selected folder is reported (EXISTS) before the tagged OK.

import { NoSuchFolderError, QuotaExceededError } from "@courier-imap/maildir";
import { refuseMaildirError } from "../mailbox/failures.js";
import { mailboxArg } from "../mailbox/names.js";
import { rescanAndReport } from "../mailbox/rescan.js";
import { compressSet, resolveTargets } from "../mailbox/view.js";
import { atom, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const byUid = cmd.name === "UID COPY";
  const targets = resolveTargets(s, atom(cmd.args[0], "message set"), byUid);
  const name = mailboxArg(s, cmd.args[1]);
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
  let code = "";
  if (msgs.length) {
    try {
      const r = await s.mailbox!.folder.copyTo(msgs, dest);
      code = `[COPYUID ${r.uidValidity} ${compressSet(r.pairs.map((p) => p[0]))} ${compressSet(r.pairs.map((p) => p[1]))}] `;
    } catch (e) {
      if (e instanceof QuotaExceededError)
        throw new CommandRefused("[OVERQUOTA] You exceeded your mail quota.");
      if ((e as NodeJS.ErrnoException).code)
        throw new CommandRefused("[ALERT] COPY failed - no write permission or out of disk space.");
      throw e;
    }
  }
  if (dest.path === s.mailbox!.folder.path) await rescanAndReport(s, true);
  s.tagged(cmd.tag, "OK", `${code}${byUid ? "UID COPY" : "COPY"} completed.`);
};
