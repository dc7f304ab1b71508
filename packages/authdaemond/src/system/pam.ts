// Runs a PAM transaction on a short-lived worker thread so that a slow PAM stack never
// blocks the child's other work, with an overall deadline after which the request fails.

import { Worker } from "node:worker_threads";

export interface PamJob {
  op: "authenticate" | "chauthtok";
  service: string;
  user: string;
  password: string;
  newPassword?: string;
  rhost?: string;
}

export type PamOutcome =
  | { ok: true; notes: string[] }
  | { ok: false; step: string; message: string; notes: string[] };

export const PAM_DEADLINE_MS = 25_000;

const THREAD = new URL("./pam-thread.js", import.meta.url);

export function runPam(job: PamJob, deadlineMs = PAM_DEADLINE_MS): Promise<PamOutcome> {
  return new Promise((resolve) => {
    const w = new Worker(THREAD, { workerData: job });
    const timer = setTimeout(() => {
      resolve({
        ok: false,
        step: "deadline",
        message: `no answer from PAM within ${deadlineMs} ms`,
        notes: [],
      });
      w.unref(); // a thread stuck in native code cannot be stopped; let it finish on its own
      void w.terminate();
    }, deadlineMs);
    w.once("message", (m: PamOutcome) => {
      clearTimeout(timer);
      resolve(m);
    });
    w.once("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, step: "thread", message: e.message, notes: [] });
    });
  });
}
