// DELE, RSET, NOOP (RFC 1939 §5): DELE only marks; nothing is removed before QUIT.

import type { Handler } from "./types.js";
import { words } from "./types.js";

export const dele: Handler = async (s, args) => {
  const found = s.message(words(args)[0]);
  if (!found) return s.reply(false, "Invalid message number.");
  s.deleted.add(found.index);
  return s.reply(true, "Deleted.");
};

export const rset: Handler = async (s) => {
  s.deleted.clear();
  return s.reply(true, "Resurrected.");
};

export const noop: Handler = (s) => s.reply(true, "Yup.");
