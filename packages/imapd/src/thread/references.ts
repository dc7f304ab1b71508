// THREAD=REFERENCES (RFC 5256 §3.2): link messages by Message-ID/References/In-Reply-To
// with dummy containers for missing ones, prune the dummies, sort the root set, merge
// root threads with the same base subject, and sort every level of siblings by sent date.

import type { MessageFacts } from "../sort/facts.js";
import { byDate, type Known, type ThreadNode } from "./tree.js";

/** True when `a` is `b` or lies below it. */
function isDescendant(a: ThreadNode, b: ThreadNode): boolean {
  for (let n: ThreadNode | undefined = a; n; n = n.parent) if (n === b) return true;
  return false;
}

function unlink(child: ThreadNode): void {
  const p = child.parent;
  if (!p) return;
  p.children = p.children.filter((c) => c !== child);
  child.parent = undefined;
}

function link(parent: ThreadNode, child: ThreadNode): void {
  child.parent = parent;
  parent.children.push(child);
}

/** Step 3: dummies without children go; other dummies give way to their children, except
 * at the top level when they have more than one. */
function prune(list: ThreadNode[], top: boolean): ThreadNode[] {
  const out: ThreadNode[] = [];
  for (const n of list) {
    n.children = prune(n.children, false);
    for (const c of n.children) c.parent = n;
    if (n.msg) out.push(n);
    else if (!n.children.length) continue;
    else if (!top || n.children.length === 1) out.push(...n.children);
    else out.push(n);
  }
  return out;
}

function sortAll(list: ThreadNode[], cmp: (a: ThreadNode, b: ThreadNode) => number): void {
  for (const n of list) sortAll(n.children, cmp);
  list.sort(cmp);
}

export async function referencesThreads(
  msgs: MessageFacts[],
  known: Map<MessageFacts, Known>,
): Promise<ThreadNode[]> {
  const table = new Map<string, ThreadNode>();
  const container = (id: string): ThreadNode => {
    let c = table.get(id);
    if (!c) {
      c = { children: [] };
      table.set(id, c);
    }
    return c;
  };
  let unique = 0;
  // Step 1
  for (const m of msgs) {
    const ids = await m.threadIds();
    let self: ThreadNode | undefined;
    if (ids.id !== null) {
      const c = container(ids.id);
      if (!c.msg) self = c;
    }
    if (!self) {
      // no Message-ID, or a duplicate one: a unique id of its own
      self = { children: [] };
      table.set(`\0${unique++}`, self);
    }
    self.msg = m;
    const refs = ids.references.length ? ids.references : ids.inReplyTo.slice(0, 1);
    // (A) chain the references, keeping existing links and never making a loop
    for (let i = 0; i + 1 < refs.length; i++) {
      const p = container(refs[i]);
      const c = container(refs[i + 1]);
      if (c.parent || p === c || isDescendant(p, c)) continue;
      link(p, c);
    }
    // (B) the last reference is the parent, whatever the message had before
    const parent = refs.length ? container(refs[refs.length - 1]) : undefined;
    if (parent && (parent === self || isDescendant(parent, self))) continue;
    unlink(self);
    if (parent) link(parent, self);
  }
  // Step 2
  let root = [...table.values()].filter((c) => !c.parent);
  // Step 3
  root = prune(root, true);
  for (const n of root) n.parent = undefined;
  // Step 4
  const cmp = byDate(known);
  for (const n of root) if (!n.msg) n.children.sort(cmp);
  root.sort(cmp);
  // Step 5
  const subjectOf = (n: ThreadNode): Known | undefined => {
    const m = n.msg ?? n.children[0]?.msg;
    return m ? known.get(m) : undefined;
  };
  const subjects = new Map<string, ThreadNode>();
  for (const n of root) {
    const k = subjectOf(n);
    if (!k || k.subject === "") continue;
    const t = subjects.get(k.subject);
    if (!t) subjects.set(k.subject, n);
    else if (t.msg && (!n.msg || (known.get(t.msg)!.replyOrForward && !k.replyOrForward)))
      subjects.set(k.subject, n);
  }
  // root as slots, so that removing or replacing a thread costs no pass over all of them
  const slots: (ThreadNode | null)[] = [...root];
  const slot = new Map(root.map((n, i) => [n, i]));
  const remove = (n: ThreadNode) => {
    const i = slot.get(n);
    if (i === undefined) return;
    slots[i] = null;
    slot.delete(n);
  };
  for (const n of root) {
    const k = subjectOf(n);
    if (!k || k.subject === "") continue;
    const t = subjects.get(k.subject)!;
    if (t === n) continue;
    if (!t.msg && !n.msg) {
      for (const c of n.children) link(t, c);
      n.children = [];
      remove(n);
    } else if (!t.msg || (k.replyOrForward && !known.get(t.msg)!.replyOrForward)) {
      remove(n);
      link(t, n);
    } else {
      const dummy: ThreadNode = { children: [] };
      remove(n);
      const i = slot.get(t);
      if (i !== undefined) {
        slots[i] = dummy;
        slot.delete(t);
        slot.set(dummy, i);
      }
      link(dummy, t);
      link(dummy, n);
      subjects.set(k.subject, dummy);
    }
  }
  root = slots.filter((n) => n !== null);
  // Step 6
  sortAll(root, cmp);
  return root;
}
