// QUIT: before login it just ends the session; after login it is the UPDATE state: the
// DELE'd messages are removed (quota released), then `+OK Bye-bye.`. A session that ends
// any other way removes nothing.

import type { Handler } from "./types.js";

export const quit: Handler = async (s) => {
  if (s.phase === "authorization") {
    await s.reply(true, "Better luck next time.");
    s.close("LOGOUT");
    return;
  }
  const box = s.mailbox!;
  const doomed = [...s.deleted].sort((a, b) => a - b).map((i) => box.messages[i]);
  try {
    const removed = await box.deleteMessages(doomed);
    if (s.settings.logDeletions) for (const m of removed) s.log.deleted(s.user!, m.filename);
  } catch (e) {
    s.log.line("ERR", `QUIT: ${(e as Error).message}`);
    await s.reply(false, "Cannot delete messages.");
    s.close("LOGOUT");
    return;
  }
  await s.reply(true, "Bye-bye.");
  s.close("LOGOUT");
};
