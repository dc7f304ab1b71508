// LOGIN <user> <password>: atoms, quoted strings or literals.

import { astring, expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const user = astring(cmd.args[0], "user name");
  const password = astring(cmd.args[1], "password");
  const { loginWithPassword } = await import("../login/login-with-password.js");
  await loginWithPassword(s, cmd.tag, user, password);
};
