// ENABLE (RFC 5161): only UTF8=ACCEPT is known; others are ignored and not echoed.

import { atom } from "../parser/args.js";
import { BadCommand } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  if (!cmd.args.length) throw new BadCommand("ENABLE needs at least one capability");
  const newly: string[] = [];
  for (const tok of cmd.args) {
    const cap = atom(tok, "capability").toUpperCase();
    if (cap === "UTF8=ACCEPT" && !s.state.enabled.includes(cap)) {
      s.state.enabled.push(cap);
      newly.push(cap);
    }
  }
  if (newly.length) s.untagged(`ENABLED ${newly.join(" ")}`);
  s.tagged(cmd.tag, "OK", "Options enabled");
};
