import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  s.untagged("BYE Courier-IMAP server shutting down");
  s.tagged(cmd.tag, "OK", "LOGOUT completed");
  s.close("LOGOUT");
};
