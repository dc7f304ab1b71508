// NAMESPACE (RFC 2342): Courier's fixed reply (imapd-behaviour.md §6).

import { expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const NAMESPACE_REPLY = 'NAMESPACE (("INBOX." ".")) NIL (("#shared." ".")("shared." "."))';

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  s.untagged(NAMESPACE_REPLY);
  s.tagged(cmd.tag, "OK", "NAMESPACE completed.");
};
