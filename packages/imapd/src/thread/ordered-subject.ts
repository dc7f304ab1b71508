// THREAD=ORDEREDSUBJECT (RFC 5256 §3.1): messages sorted by base subject and sent date;
// each run of one base subject is a thread whose first message is the parent of all the
// others; threads in the order of their first message's sent date.

import { compareCodePoints } from "../sort/collate.js";
import type { MessageFacts } from "../sort/facts.js";
import { byDate, type Known, type ThreadNode } from "./tree.js";

export function orderedSubject(msgs: MessageFacts[], known: Map<MessageFacts, Known>): ThreadNode[] {
  const sorted = [...msgs].sort((a, b) => {
    const x = known.get(a)!;
    const y = known.get(b)!;
    return compareCodePoints(x.subject, y.subject) || x.date - y.date || a.seq - b.seq;
  });
  const threads: ThreadNode[] = [];
  let head: ThreadNode | undefined;
  for (const m of sorted) {
    if (head && known.get(head.msg!)!.subject === known.get(m)!.subject) {
      head.children.push({ msg: m, children: [], parent: head });
    } else {
      head = { msg: m, children: [] };
      threads.push(head);
    }
  }
  return threads.sort(byDate(known));
}
