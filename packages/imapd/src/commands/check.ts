// CHECK (RFC 3501 §6.4.1): every change is already on disk; like NOOP it reports updates.

import { rescanAndReport } from "../mailbox/rescan.js";
import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  await rescanAndReport(s, true);
  s.tagged(cmd.tag, "OK", "CHECK completed");
};
