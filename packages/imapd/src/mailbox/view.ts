// Resolving a sequence set or UID set against the client's view of the selected folder.

import type { MessageInfo } from "@courier-imap/maildir";
import { parseSequenceSet, resolveSequenceNumbers, resolveUids, STAR } from "../parser/sequence-set.js";
import { BadCommand } from "../session/errors.js";
import type { Session } from "../session/session.js";

export interface Target {
  seq: number;
  uid: number;
  /** undefined when another session expunged it and the client has not been told yet. */
  msg: MessageInfo | undefined;
}

/** The messages a set names, ascending; a sequence number beyond EXISTS is a BAD. */
export function resolveTargets(s: Session, setText: string, byUid: boolean): Target[] {
  const set = parseSequenceSet(setText);
  if (!set) throw new BadCommand("invalid sequence set");
  const uids = s.state.selected!.uids;
  const folder = s.mailbox!.folder;
  let indexes: number[];
  if (byUid) indexes = resolveUids(set, uids);
  else {
    // `*` in an empty mailbox names nothing (a client's `1:*` right after SELECT of an empty box)
    if (!uids.length && set.every((r) => r.from === STAR || r.to === STAR)) return [];
    const seqs = resolveSequenceNumbers(set, uids.length);
    if (!seqs) throw new BadCommand("invalid message sequence number");
    indexes = seqs.map((n) => n - 1);
  }
  return indexes.map((i) => ({ seq: i + 1, uid: uids[i], msg: folder.byUid(uids[i]) }));
}

/** `1:3,5` style compression of ascending numbers (COPYUID, APPENDUID, ESEARCH-like). */
export function compressSet(nums: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}:${nums[j]}`);
    i = j + 1;
  }
  return out.join(",");
}
