// LIST/LSUB pattern matching (RFC 3501 §6.3.8): `*` matches anything, `%` anything but
// the hierarchy separator `.`. A linear-space dynamic programme, so hostile patterns
// (`*a*a*a*…`) cost O(pattern × name), never exponential backtracking.

export function matchPattern(pattern: string, name: string): boolean {
  const p = [...pattern];
  const n = [...name];
  // prev[j]: p[0..i) matches n[0..j)
  let prev = new Array<boolean>(n.length + 1).fill(false);
  prev[0] = true;
  for (let i = 0; i < p.length; i++) {
    const cur = new Array<boolean>(n.length + 1).fill(false);
    const c = p[i];
    if (c === "*" || c === "%") {
      cur[0] = prev[0];
      for (let j = 1; j <= n.length; j++) cur[j] = prev[j] || (cur[j - 1] && (c === "*" || n[j - 1] !== "."));
    } else {
      for (let j = 1; j <= n.length; j++) cur[j] = prev[j - 1] && n[j - 1] === c;
    }
    prev = cur;
  }
  return prev[n.length];
}

/** The pattern a LIST reference and mailbox name make, with a leading `inbox` in upper case. */
export function fullPattern(reference: string, pattern: string): string {
  const full = reference + pattern;
  return /^inbox(\.|$|[%*])/i.test(full) ? `INBOX${full.slice(5)}` : full;
}
