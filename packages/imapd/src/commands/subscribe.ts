// SUBSCRIBE / UNSUBSCRIBE <mailbox> (RFC 3501 §6.3.6, §6.3.7). As Courier, the name is not
// checked for existence; a trailing `.` is punted.

import { mailboxArg } from "../mailbox/names.js";
import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1);
  const name = mailboxArg(s, cmd.args[0]);
  if (cmd.name === "SUBSCRIBE") await s.maildir!.subscribe(name);
  else await s.maildir!.unsubscribe(name);
  s.tagged(cmd.tag, "OK", `${cmd.name === "SUBSCRIBE" ? "Subscribed" : "Unsubscribed"}.`);
};
