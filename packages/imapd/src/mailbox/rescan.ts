// NOOP-time rescan of the selected folder, reporting what changed since the client last
// looked: EXPUNGE for vanished messages, EXISTS/RECENT for arrivals, FETCH FLAGS for
// flag changes made by others.

import type { Session } from "../session/session.js";
import { flagsText } from "./flags-text.js";

export async function rescanAndReport(s: Session): Promise<void> {
  const box = s.mailbox;
  const sel = s.state.selected;
  if (!box || !sel) return;
  const before = new Map(box.folder.messages.map((m) => [m.uid, m.flags.join(" ")]));
  const oldUids = sel.uids;
  const result = await box.folder.scan();
  const present = new Set(result.messages.map((m) => m.uid));
  let removed = 0;
  oldUids.forEach((uid, i) => {
    if (!present.has(uid)) {
      s.untagged(`${i + 1 - removed} EXPUNGE`);
      removed++;
    }
  });
  const known = new Set(oldUids);
  const arrived = result.messages.some((m) => !known.has(m.uid));
  if (arrived || removed) {
    s.untagged(`${result.messages.length} EXISTS`);
    s.untagged(`${result.messages.filter((m) => m.recent).length} RECENT`);
  }
  result.messages.forEach((m, i) => {
    const was = before.get(m.uid);
    if (was !== undefined && was !== m.flags.join(" ")) s.untagged(`${i + 1} FETCH (FLAGS ${flagsText(m)})`);
  });
  sel.uids = result.messages.map((m) => m.uid);
  sel.uidNext = result.nextUid;
}
