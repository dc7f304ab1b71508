// SEARCH matching: i;unicode-casemap-like folding and a streaming substring matcher that
// keeps only the last needle-length characters between chunks.

/** Folds a string for case-insensitive comparison (full case folding, NFKC). */
export function foldCase(s: string): string {
  return s.normalize("NFKC").toUpperCase().toLowerCase();
}

/** True when `needle` occurs in `haystack`, case-insensitively. */
export function containsFolded(haystack: string, needle: string): boolean {
  return foldCase(haystack).includes(foldCase(needle));
}

/** Looks for several needles in text fed in pieces; white space runs count as one space. */
export class TextMatcher {
  private readonly needles: string[];
  private readonly found: boolean[];
  private readonly keep: number;
  private tail = "";

  constructor(needles: string[]) {
    this.needles = needles.map((n) => squash(foldCase(n)));
    this.found = this.needles.map((n) => n === "");
    this.keep = Math.max(0, ...this.needles.map((n) => n.length)) + 1;
  }

  /** Feeds text; returns true once every needle has been found. */
  write(text: string): boolean {
    if (this.done) return true;
    const s = this.tail + squash(foldCase(text));
    for (let i = 0; i < this.needles.length; i++) {
      if (!this.found[i] && s.includes(this.needles[i])) this.found[i] = true;
    }
    this.tail = s.slice(-this.keep);
    return this.done;
  }

  get done(): boolean {
    return this.found.every(Boolean);
  }

  /** Which needles were found, in the order given. */
  results(): boolean[] {
    return [...this.found];
  }
}

function squash(s: string): string {
  return s.replace(/\s+/g, " ");
}
