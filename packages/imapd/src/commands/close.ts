// CLOSE (RFC 3501 §6.4.2): silently expunges a read-write folder, then deselects.
// UNSELECT (RFC 3691) deselects without expunging.

import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  const box = s.mailbox;
  if (box && !box.readOnly && cmd.name === "CLOSE") await box.folder.expunge();
  s.mailbox = undefined;
  s.state.selected = undefined;
  s.state.phase = "authenticated";
  s.tagged(cmd.tag, "OK", cmd.name === "CLOSE" ? "mailbox closed." : "UNSELECT completed.");
};
