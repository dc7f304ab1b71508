// What changed in a folder between two looks (for NOOP/IDLE/EXPUNGE reporting). A snapshot
// is plain data, so a session can be serialized and resumed elsewhere.

export interface SnapshotMessage {
  uid: number;
  flags: readonly string[];
  keywords: readonly string[];
}

export interface FolderSnapshot {
  uidValidity: number;
  nextUid: number;
  messages: SnapshotMessage[];
}

export interface FolderChanges {
  /** UIDs gone since the last look, in their old sequence order. */
  expunged: number[];
  /** UIDs that appeared. */
  added: number[];
  /** UIDs (present in both) whose flags or keywords changed. */
  flagsChanged: number[];
  /** The folder was replaced (new UIDVALIDITY): the session must start over. */
  uidValidityChanged: boolean;
}

function sig(m: SnapshotMessage): string {
  return `${m.flags.join(" ")}\n${m.keywords.join(" ")}`;
}

export function diffSnapshots(before: FolderSnapshot, after: FolderSnapshot): FolderChanges {
  const now = new Map(after.messages.map((m) => [m.uid, m]));
  const then = new Map(before.messages.map((m) => [m.uid, m]));
  const changes: FolderChanges = {
    expunged: before.messages.filter((m) => !now.has(m.uid)).map((m) => m.uid),
    added: after.messages.filter((m) => !then.has(m.uid)).map((m) => m.uid),
    flagsChanged: [],
    uidValidityChanged: before.uidValidity !== after.uidValidity,
  };
  for (const m of after.messages) {
    const old = then.get(m.uid);
    if (old && sig(old) !== sig(m)) changes.flagsChanged.push(m.uid);
  }
  return changes;
}

export function hasChanges(c: FolderChanges): boolean {
  return c.uidValidityChanged || c.expunged.length > 0 || c.added.length > 0 || c.flagsChanged.length > 0;
}
