// THREAD / UID THREAD <algorithm> <charset> <search keys> (RFC 5256 §3): ORDEREDSUBJECT
// and REFERENCES. Refused when IMAP_DISABLETHREADSORT > 0, as Courier.

import { saveSummaries } from "../fetch/summary.js";
import { atom } from "../parser/args.js";
import { BadCommand } from "../session/errors.js";
import type { MessageFacts } from "../sort/facts.js";
import { refuseIfDisabled, selectMessages } from "../sort/selection.js";
import { orderedSubject } from "../thread/ordered-subject.js";
import { referencesThreads } from "../thread/references.js";
import { formatThread, type Known } from "../thread/tree.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  refuseIfDisabled(s);
  const byUid = cmd.name === "UID THREAD";
  const algorithm = atom(cmd.args[0], "threading algorithm").toUpperCase();
  if (algorithm !== "ORDEREDSUBJECT" && algorithm !== "REFERENCES")
    throw new BadCommand("Unknown threading algorithm");
  const msgs = await selectMessages(s, cmd.args.slice(1));
  const known = new Map<MessageFacts, Known>();
  for (const m of msgs) {
    const subj = await m.subject();
    known.set(m, { date: await m.sentDate(), subject: subj.key, replyOrForward: subj.replyOrForward });
  }
  const threads =
    algorithm === "REFERENCES" ? await referencesThreads(msgs, known) : orderedSubject(msgs, known);
  const id = (m: MessageFacts) => (byUid ? m.msg.uid : m.seq);
  s.untagged(`THREAD${threads.length ? " " : ""}${threads.map((t) => formatThread(t, id)).join("")}`);
  s.tagged(cmd.tag, "OK", "THREAD done.");
  await saveSummaries(s);
};
