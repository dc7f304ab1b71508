// A minimal IMAP client for benchmarks: tagged commands, one at a time, with the
// untagged replies counted (literals skipped by their announced length, never parsed),
// so a FETCH of thousands of messages costs the client little. Optionally keeps the
// untagged lines (without literal contents), e.g. to read a SEARCH result.

import { connect } from "node:net";
import { now } from "./stats.mjs";

export const quote = (s) => `"${s.replace(/["\\]/g, "\\$&")}"`;

/**
 * Connects and waits for the greeting; resolves with the client, whose `greetingMs` is
 * the time from connect() to the complete greeting line.
 */
export function openImap(port, host = "127.0.0.1", timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const sock = connect(Number(port), host);
    sock.setNoDelay(true);
    let partial = [];
    let skip = 0;
    let n = 0;
    /** The command in flight: { tag, resolve, reject, untagged, bytes, keep, lines, cont } */
    let cur = null;
    let greeted = false;
    let timer;
    const arm = (ms = timeoutMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new Error(`IMAP timeout (${cur?.tag ?? "greeting"})`)), ms);
    };
    const fail = (e) => {
      clearTimeout(timer);
      sock.destroy();
      if (!greeted) reject(e);
      else if (cur) {
        const c = cur;
        cur = null;
        c.reject(e);
      }
    };
    const line = (buf) => {
      const s = buf.toString("latin1");
      const lit = /\{(\d+)\+?\}\r?\n$/.exec(s);
      if (lit) skip = Number(lit[1]);
      if (!greeted) {
        greeted = true;
        clearTimeout(timer);
        if (!s.startsWith("* OK") && !s.startsWith("* PREAUTH")) return fail(new Error(`greeting: ${s}`));
        client.greeting = s.trim();
        client.greetingMs = now() - t0;
        return resolve(client);
      }
      if (!cur) return;
      if (s.startsWith("+") && cur.cont) {
        const c = cur.cont;
        cur.cont = null;
        return c();
      }
      if (s.startsWith(`${cur.tag} `)) {
        clearTimeout(timer);
        const c = cur;
        cur = null;
        const status = s.slice(c.tag.length + 1, c.tag.length + 4).trim();
        const r = { status, text: s.trim(), untagged: c.untagged, bytes: c.bytes, lines: c.lines };
        if (status !== "OK" && !c.allowNo) c.reject(new Error(`${c.command.slice(0, 80)}: ${s.trim()}`));
        else c.resolve(r);
        return;
      }
      if (s.startsWith("* ")) {
        cur.untagged++;
        if (cur.keep) cur.lines.push(s);
      }
    };
    sock.on("data", (chunk) => {
      if (cur) cur.bytes += chunk.length;
      let i = 0;
      while (i < chunk.length) {
        if (skip > 0) {
          const k = Math.min(skip, chunk.length - i);
          skip -= k;
          i += k;
          continue;
        }
        const nl = chunk.indexOf(10, i);
        if (nl < 0) {
          partial.push(chunk.subarray(i));
          break;
        }
        let l = chunk.subarray(i, nl + 1);
        if (partial.length) {
          l = Buffer.concat([...partial, l]);
          partial = [];
        }
        i = nl + 1;
        line(l);
      }
    });
    sock.on("error", fail);
    sock.on("close", () => fail(new Error("connection closed")));
    arm();

    const client = {
      greeting: "",
      greetingMs: 0,
      /** Sends a command; resolves with { status, text, untagged, bytes, lines }. */
      cmd(command, { keep = false, allowNo = false } = {}) {
        const tag = `t${++n}`;
        return new Promise((res, rej) => {
          cur = { tag, command, resolve: res, reject: rej, untagged: 0, bytes: 0, keep, lines: [], allowNo };
          arm();
          sock.write(`${tag} ${command}\r\n`);
        });
      },
      login(user, password) {
        return client.cmd(`LOGIN ${quote(user)} ${quote(password)}`);
      },
      /** APPEND with a synchronizing literal (every server offers it). */
      append(mailbox, message, flags = "") {
        const tag = `t${++n}`;
        const data = Buffer.isBuffer(message) ? message : Buffer.from(message);
        return new Promise((res, rej) => {
          cur = { tag, command: "APPEND", resolve: res, reject: rej, untagged: 0, bytes: 0, lines: [] };
          cur.cont = () => sock.write(Buffer.concat([data, Buffer.from("\r\n")]));
          arm();
          sock.write(`${tag} APPEND ${quote(mailbox)}${flags ? ` (${flags})` : ""} {${data.length}}\r\n`);
        });
      },
      /** IDLE: resolves once the server's continuation (`+ idling`) arrives; the session then idles. */
      idle(ms = timeoutMs) {
        const tag = `t${++n}`;
        return new Promise((res, rej) => {
          cur = { tag, command: "IDLE", resolve: res, reject: rej, untagged: 0, bytes: 0, lines: [] };
          cur.cont = () => {
            cur = null;
            clearTimeout(timer);
            res();
          };
          arm(ms);
          sock.write(`${tag} IDLE\r\n`);
        });
      },
      async logout() {
        try {
          await client.cmd("LOGOUT");
        } catch {}
        client.close();
      },
      close() {
        clearTimeout(timer);
        sock.removeAllListeners("close");
        sock.on("error", () => {});
        sock.destroy();
      },
    };
  });
}
