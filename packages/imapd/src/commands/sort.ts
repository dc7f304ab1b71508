// SORT / UID SORT (<criteria>) <charset> <search keys> (RFC 5256 §3, with RFC 5957's
// DISPLAYFROM/DISPLAYTO). Refused when IMAP_DISABLETHREADSORT > 0, as Courier.

import { saveSummaries } from "../fetch/summary.js";
import { parseCriteria, sortMessages } from "../sort/criteria.js";
import { refuseIfDisabled, selectMessages } from "../sort/selection.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  refuseIfDisabled(s);
  const byUid = cmd.name === "UID SORT";
  const criteria = parseCriteria(cmd.args[0]);
  const sorted = await sortMessages(await selectMessages(s, cmd.args.slice(1)), criteria);
  s.untagged(`SORT${sorted.map((f) => ` ${byUid ? f.msg.uid : f.seq}`).join("")}`);
  s.tagged(cmd.tag, "OK", "SORT done.");
  await saveSummaries(s);
};
