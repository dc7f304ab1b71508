import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  if (s.mailbox) {
    const { rescanAndReport } = await import("../mailbox/rescan.js");
    await rescanAndReport(s);
  }
  s.tagged(cmd.tag, "OK", "NOOP completed");
};
