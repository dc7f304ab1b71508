// APPEND <mailbox> [(<flags>)] [<date-time>] <literal> (RFC 3501 §6.3.11) with APPENDUID
// (RFC 4315). A large message literal is streamed straight into the maildir (see
// RawCommand.streamed), never held in memory. Missing mailbox: `NO [TRYCREATE]` before the
// literal is asked for; over quota: `NO [OVERQUOTA]` (RFC 9208). Appending to the selected
// folder reports the new message (EXISTS) before the tagged OK. A message larger than
// IMAP_APPENDLIMIT (RFC 7889): `NO [TOOBIG]`, before the literal is asked for. After ENABLE
// UTF8=ACCEPT the message may come as `UTF8 (~{n}…)` (RFC 6855 §4); a message with 8-bit
// headers in a plain literal is stored, with Courier's `* OK [ALERT]` about RFC 6855.

import { NoSuchFolderError, QuotaExceededError } from "@courier-imap/maildir";
import { parseAppendArgs } from "../mailbox/append-args.js";
import { appendLimit } from "../mailbox/append-limit.js";
import { EightBitHeaderCheck } from "../mailbox/eight-bit-headers.js";
import { refuseMaildirError } from "../mailbox/failures.js";
import { parseFlagArgs } from "../mailbox/flag-args.js";
import { mailboxArg } from "../mailbox/names.js";
import { rescanAndReport } from "../mailbox/rescan.js";
import { keywordsEnabled } from "../mailbox/selected-flags.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  const { mailbox, flags: flagTok, date, message, utf8 } = parseAppendArgs(s, cmd.args);
  const { flags, keywords } = flagTok ? parseFlagArgs(flagTok, false) : { flags: [], keywords: [] };
  const name = mailboxArg(s, mailbox);
  const limit = appendLimit(s.settings.env);
  if (limit !== undefined && (message.t === "stream" ? message.size : message.v.length) > limit)
    throw new CommandRefused(`[TOOBIG] Message too large, the limit is ${limit} octets.`);
  let dest: Awaited<ReturnType<NonNullable<typeof s.maildir>["folder"]>>;
  try {
    dest = await s.maildir!.folder(name);
  } catch (e) {
    if (e instanceof NoSuchFolderError)
      throw new CommandRefused("[TRYCREATE] Must create mailbox before append");
    refuseMaildirError(e);
  }
  const check = new EightBitHeaderCheck();
  let source: Buffer | AsyncIterable<Buffer>;
  if (message.t !== "stream") {
    source = message.v;
    if (!utf8) check.push(message.v);
  } else {
    const stream = await s.reader.openStreamedLiteral();
    source = utf8 ? stream : check.through(stream);
  }
  let result: Awaited<ReturnType<typeof dest.append>>;
  try {
    result = await dest.append(source, { flags, keywords: keywordsEnabled(s) ? keywords : [], date });
  } catch (e) {
    if (e instanceof QuotaExceededError)
      throw new CommandRefused("[OVERQUOTA] You exceeded your mail quota.");
    if ((e as NodeJS.ErrnoException).code)
      throw new CommandRefused("[ALERT] Cannot create message - no write permission or out of disk space.");
    throw e;
  }
  if (message.t === "stream") {
    const rest = await s.reader.finishStreamed();
    if (rest === undefined) {
      s.close("silent");
      return;
    }
    // the `)` of `UTF8 (~{n}` comes after the literal
    if (rest.toString("latin1") !== ")".repeat(cmd.openAtStream ?? 0))
      throw new BadCommand("unexpected data after the APPEND literal");
  }
  if (check.found)
    s.untagged(
      "OK [ALERT] Your IMAP client does not appear to correctly implement Unicode messages, see https://datatracker.ietf.org/doc/html/rfc6855",
    );
  if (s.mailbox && s.mailbox.folder.path === dest.path) await rescanAndReport(s, true);
  s.tagged(cmd.tag, "OK", `[APPENDUID ${result.uidValidity} ${result.uid}] APPEND Ok.`);
};
