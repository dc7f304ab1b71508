// sequence-set grammar (RFC 3501 §9): `1`, `*`, `2:4`, `4:2`, `1,3:*`. `*` is kept symbolic
// until resolved against the mailbox.

export const STAR = -1;

export interface SeqRange {
  from: number;
  to: number;
}

/** Parses a sequence set; undefined when it is not one. */
export function parseSequenceSet(text: string): SeqRange[] | undefined {
  const out: SeqRange[] = [];
  for (const item of text.split(",")) {
    const m = /^(\d+|\*)(?::(\d+|\*))?$/.exec(item);
    if (!m) return undefined;
    const a = m[1] === "*" ? STAR : Number(m[1]);
    const b = m[2] === undefined ? a : m[2] === "*" ? STAR : Number(m[2]);
    if (a === 0 || b === 0 || a > 0xffffffff || b > 0xffffffff) return undefined;
    out.push({ from: a, to: b });
  }
  return out;
}

/** Sequence numbers 1..exists named by the set, ascending; undefined if any is out of range. */
export function resolveSequenceNumbers(set: SeqRange[], exists: number): number[] | undefined {
  const picked = new Set<number>();
  for (const r of set) {
    const a = r.from === STAR ? exists : r.from;
    const b = r.to === STAR ? exists : r.to;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (lo < 1 || hi > exists) return undefined;
    for (let i = lo; i <= hi; i++) picked.add(i);
  }
  return [...picked].sort((x, y) => x - y);
}

/**
 * Indexes (0-based) of the messages whose UIDs the set names, ascending; `uids` must be
 * ascending. UIDs that do not exist are skipped; `*` is the highest UID in use.
 */
export function resolveUids(set: SeqRange[], uids: readonly number[]): number[] {
  if (!uids.length) return [];
  const max = uids[uids.length - 1];
  const picked = new Set<number>();
  for (const r of set) {
    const a = r.from === STAR ? max : r.from;
    const b = r.to === STAR ? max : r.to;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let i = lowerBound(uids, lo);
    for (; i < uids.length && uids[i] <= hi; i++) picked.add(i);
  }
  return [...picked].sort((x, y) => x - y);
}

function lowerBound(arr: readonly number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
