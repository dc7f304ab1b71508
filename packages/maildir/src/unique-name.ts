// Unique file names for files we create (maildir-formats.md §2.1):
// `<sec>.M<usec>P<pid>_<uniq>.<host>` in tmp/.

import { hostname } from "node:os";

let counter = 0;

function nowMicros(): bigint {
  return BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
}

/** HOSTNAME from the environment if set, else gethostname(); not escaped, like Courier. */
export function mailHostname(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOSTNAME || hostname();
}

/**
 * A tmp/ name unique to this process: the per-process counter makes it unique even
 * within one microsecond; callers still create it with O_EXCL.
 */
export function uniqueTmpName(tag?: string): string {
  const us = nowMicros();
  const sec = us / 1000000n;
  const usec = us % 1000000n;
  const uniq = tag === undefined ? String(counter++) : `${tag}${counter++}`;
  return `${sec}.M${usec}P${process.pid}_${uniq}.${mailHostname()}`;
}
