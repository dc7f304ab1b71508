import { expectCount } from "../parser/args.js";
import { capabilityString } from "../session/capability.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  s.untagged(`CAPABILITY ${capabilityString(s.settings.env)}`);
  s.tagged(cmd.tag, "OK", "CAPABILITY completed");
};
