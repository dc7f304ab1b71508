// Reporting changes of the selected folder to the client: `* n EXPUNGE` for vanished
// messages (only where RFC 3501 §7.4.1 allows it), `* FLAGS`/PERMANENTFLAGS when new
// keywords appear, `* n EXISTS`/`* n RECENT` for arrivals and removals, and
// `* n FETCH (FLAGS …)` for flags changed by others. The client's view (sequence number →
// UID) lives in the serializable state; messages expunged by others stay in that view,
// unavailable, until an EXPUNGE response may be sent.

import type { FolderChanges } from "@courier-imap/maildir";
import type { Session } from "../session/session.js";
import { flagsText } from "./flags-text.js";
import { flagsResponses } from "./selected-flags.js";

export async function rescanAndReport(s: Session, allowExpunge = true): Promise<void> {
  const box = s.mailbox;
  if (!box || !s.state.selected) return;
  const keywordsBefore = box.folder.keywordNames().length;
  const changes = await box.folder.rescan();
  reportChanges(s, changes, allowExpunge, keywordsBefore);
}

export function reportChanges(
  s: Session,
  changes: FolderChanges,
  allowExpunge: boolean,
  keywordsBefore = -1,
): void {
  const box = s.mailbox;
  const sel = s.state.selected;
  if (!box || !sel) return;
  const folder = box.folder;
  if (changes.uidValidityChanged) {
    s.untagged("BYE [ALERT] The mailbox was replaced (UIDVALIDITY changed); please reconnect.");
    s.close("silent");
    return;
  }
  let uids = sel.uids;
  let removed = 0;
  if (allowExpunge) {
    const kept: number[] = [];
    uids.forEach((uid, i) => {
      if (folder.byUid(uid)) kept.push(uid);
      else {
        s.untagged(`${i + 1 - removed} EXPUNGE`);
        removed++;
      }
    });
    uids = kept;
  }
  const maxKnown = sel.uids.length ? sel.uids[sel.uids.length - 1] : 0;
  const added = folder.messages.filter((m) => m.uid > maxKnown).map((m) => m.uid);
  if (keywordsBefore >= 0 && folder.keywordNames().length !== keywordsBefore) {
    for (const line of flagsResponses(s)) s.untagged(line);
  }
  if (added.length || removed) {
    uids = [...uids, ...added];
    s.untagged(`${uids.length} EXISTS`);
    s.untagged(`${uids.filter((u) => folder.byUid(u)?.recent).length} RECENT`);
  }
  sel.uids = uids;
  sel.uidNext = folder.nextUid;
  if (changes.flagsChanged.length) {
    const seqOf = new Map(uids.map((u, i) => [u, i + 1]));
    for (const uid of changes.flagsChanged) {
      const seq = seqOf.get(uid);
      const m = folder.byUid(uid);
      if (seq && m) s.untagged(`${seq} FETCH (FLAGS ${flagsText(m)})`);
    }
  }
}
