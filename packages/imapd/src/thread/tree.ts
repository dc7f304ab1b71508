// A thread tree and its IMAP form (RFC 5256 §4: thread-list, thread-members, thread-nested).

import type { MessageFacts } from "../sort/facts.js";

export interface ThreadNode {
  /** Absent for a dummy (a message referred to but not in the set). */
  msg?: MessageFacts;
  children: ThreadNode[];
  parent?: ThreadNode;
}

export interface Known {
  date: number;
  subject: string;
  replyOrForward: boolean;
}

/** Sent date then sequence number; a dummy sorts as its first child. */
export function sortKey(n: ThreadNode, known: Map<MessageFacts, Known>): [number, number] {
  const m = n.msg ?? n.children[0]?.msg;
  if (!m) return [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  return [known.get(m)!.date, m.seq];
}

export function byDate(known: Map<MessageFacts, Known>): (a: ThreadNode, b: ThreadNode) => number {
  return (a, b) => {
    const [da, sa] = sortKey(a, known);
    const [db, sb] = sortKey(b, known);
    return da - db || sa - sb;
  };
}

/** One thread in IMAP syntax; `id` gives the number written for a message. */
export function formatThread(node: ThreadNode, id: (m: MessageFacts) => number): string {
  const nums: number[] = [];
  let cur = node;
  let nested = "";
  for (;;) {
    if (cur.msg) nums.push(id(cur.msg));
    if (cur.children.length === 1) {
      cur = cur.children[0];
      continue;
    }
    nested = cur.children.map((c) => formatThread(c, id)).join("");
    break;
  }
  return `(${nums.join(" ")}${nums.length && nested ? " " : ""}${nested})`;
}
