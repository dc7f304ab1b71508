import { timingSafeEqual } from "node:crypto";

/**
 * Constant-time string comparison. A length mismatch still runs one full comparison (of
 * `a` with itself) so the time taken does not reveal where the strings differ.
 */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
