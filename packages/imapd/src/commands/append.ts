// APPEND <mailbox> [(<flags>)] [<date-time>] <literal> (RFC 3501 §6.3.11) with APPENDUID
// (RFC 4315). A large message literal is streamed straight into the maildir (see
// RawCommand.streamed), never held in memory. Missing mailbox: `NO [TRYCREATE]` before the
// literal is asked for; over quota: `NO [OVERQUOTA]` (RFC 9208). Appending to the selected
// folder reports the new message (EXISTS) before the tagged OK. A message larger than
// IMAP_APPENDLIMIT (RFC 7889): `NO [TOOBIG]`, before the literal is asked for.

import { NoSuchFolderError, QuotaExceededError } from "@courier-imap/maildir";
import { appendLimit } from "../mailbox/append-limit.js";
import { refuseMaildirError } from "../mailbox/failures.js";
import { parseFlagArgs } from "../mailbox/flag-args.js";
import { mailboxArg } from "../mailbox/names.js";
import { rescanAndReport } from "../mailbox/rescan.js";
import { keywordsEnabled } from "../mailbox/selected-flags.js";
import { parseImapDateTime } from "../parser/date-time.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  const args = cmd.args;
  if (args.length < 2 || args.length > 4) throw new BadCommand("wrong number of arguments");
  const message = args[args.length - 1];
  if (message.t !== "stream" && !(message.t === "string" && message.literal))
    throw new BadCommand("APPEND needs the message as a literal");
  let flagTok: Token | undefined;
  let date: Date | undefined;
  for (const t of args.slice(1, -1)) {
    if (t.t === "list" && !flagTok && !date) flagTok = t;
    else if (t.t === "string" && !t.literal && !date) {
      date = parseImapDateTime(t.v.toString("latin1"));
      if (!date) throw new BadCommand("Invalid date-time");
    } else throw new BadCommand("Invalid APPEND arguments");
  }
  const { flags, keywords } = flagTok ? parseFlagArgs(flagTok, false) : { flags: [], keywords: [] };
  const name = mailboxArg(s, args[0]);
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
  const source = message.t === "stream" ? await s.reader.openStreamedLiteral() : message.v;
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
    if (rest.length) throw new BadCommand("unexpected data after the APPEND literal");
  }
  if (s.mailbox && s.mailbox.folder.path === dest.path) await rescanAndReport(s, true);
  s.tagged(cmd.tag, "OK", `[APPENDUID ${result.uidValidity} ${result.uid}] APPEND Ok.`);
};
