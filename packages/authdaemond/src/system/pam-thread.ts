// One PAM transaction on a worker thread (started by pam.ts): a PAM stack may block for
// seconds (pam_faildelay, a remote directory), and here that blocks only this thread.
// Conversation as Courier's authpam: echo-on prompts get the user name, echo-off prompts the
// password; info/error texts are passed back for logging; any other style aborts.

import { parentPort, workerData } from "node:worker_threads";
import koffi from "koffi";
import type { PamJob, PamOutcome } from "./pam.js";

const PAM_PROMPT_ECHO_OFF = 1;
const PAM_PROMPT_ECHO_ON = 2;
const PAM_ERROR_MSG = 3;
const PAM_TEXT_INFO = 4;
const PAM_CONV_ERR = 19;
const PAM_RHOST = 4;

const job = workerData as PamJob;
const notes: string[] = [];

function run(): PamOutcome {
  const pam = koffi.load("libpam.so.0");
  const libc = koffi.load("libc.so.6");
  const message = koffi.struct("pam_message", { msg_style: "int", msg: "const char *" });
  const response = koffi.struct("pam_response", { resp: "void *", resp_retcode: "int" });
  const ConvFn = koffi.proto(
    "int pam_conv_fn(int n, const pam_message **msg, _Out_ pam_response **resp, void *app)",
  );
  koffi.struct("pam_conv", { conv: koffi.pointer(ConvFn), appdata_ptr: "void *" });
  const calloc = libc.func("void *calloc(size_t n, size_t size)");
  const strdup = libc.func("void *strdup(const char *s)");
  const pamStart = pam.func(
    "int pam_start(const char *service, const char *user, const pam_conv *conv, _Out_ void **pamh)",
  );
  const pamSetItem = pam.func("int pam_set_item(void *pamh, int type, const char *item)");
  const pamAuthenticate = pam.func("int pam_authenticate(void *pamh, int flags)");
  const pamAcctMgmt = pam.func("int pam_acct_mgmt(void *pamh, int flags)");
  const pamChauthtok = pam.func("int pam_chauthtok(void *pamh, int flags)");
  const pamEnd = pam.func("int pam_end(void *pamh, int status)");
  const pamStrerror = pam.func("const char *pam_strerror(void *pamh, int errnum)");

  const answer = (style: number, text: string): string | null | undefined => {
    if (style === PAM_PROMPT_ECHO_ON) return job.user;
    if (style === PAM_PROMPT_ECHO_OFF) {
      if (job.op === "authenticate") return job.password;
      return /current|old/i.test(text) ? job.password : (job.newPassword ?? "");
    }
    if (style === PAM_ERROR_MSG || style === PAM_TEXT_INFO) {
      notes.push(text);
      return null;
    }
    return undefined;
  };

  const cb = koffi.register((n: number, msgs: unknown, out: unknown) => {
    const ptrs = koffi.decode(msgs, koffi.pointer(message), n) as unknown[];
    const replies: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const m = koffi.decode(ptrs[i], message) as { msg_style: number; msg: string | null };
      const r = answer(m.msg_style, m.msg ?? "");
      if (r === undefined) return PAM_CONV_ERR;
      replies.push(r);
    }
    const size = koffi.sizeof(response);
    const arr = calloc(n, size); // PAM frees the array and each string with free()
    replies.forEach((r, i) => {
      koffi.encode(arr, i * size, response, { resp: r === null ? null : strdup(r), resp_retcode: 0 });
    });
    koffi.encode(out, "void *", arr);
    return 0;
  }, koffi.pointer(ConvFn));

  const handle: unknown[] = [null];
  try {
    let rc = pamStart(job.service, job.user, { conv: cb, appdata_ptr: null }, handle);
    if (rc !== 0) return { ok: false, step: "pam_start", message: `error ${rc}`, notes };
    const h = handle[0];
    const steps: [string, () => number][] =
      job.op === "authenticate"
        ? [
            ["pam_authenticate", () => pamAuthenticate(h, 0)],
            ["pam_acct_mgmt", () => pamAcctMgmt(h, 0)],
          ]
        : [["pam_chauthtok", () => pamChauthtok(h, 0)]];
    if (job.rhost) pamSetItem(h, PAM_RHOST, job.rhost);
    for (const [step, call] of steps) {
      rc = call();
      if (rc !== 0) {
        const message = String(pamStrerror(h, rc));
        pamEnd(h, rc);
        return { ok: false, step, message, notes };
      }
    }
    pamEnd(h, 0);
    return { ok: true, notes };
  } finally {
    koffi.unregister(cb);
  }
}

let outcome: PamOutcome;
try {
  outcome = run();
} catch (e) {
  outcome = { ok: false, step: "libpam", message: (e as Error).message, notes };
}
parentPort?.postMessage(outcome);
