// The authdaemond request/reply wire format (spec/authdaemon-protocol.md §3-4).
// One request per connection, LF line endings, no escaping.

import { type AuthRecord, parseRecord } from "./record.js";

export const MAX_LINE = 8190;
export const MAX_AUTH_BODY = 8191;
export const MAX_REPLY = 8191;

export type Meta = Record<string, string>;

export type Request =
  | { cmd: "PRE"; meta: Meta; module: string; service: string; userid: string }
  | { cmd: "AUTH"; meta: Meta; service: string; authtype: string; authdata: string }
  | { cmd: "PASSWD"; meta: Meta; service: string; userid: string; oldpass: string; newpass: string }
  | { cmd: "PASSWD_INVALID"; meta: Meta }
  | { cmd: "ENUMERATE"; meta: Meta };

export class ProtocolError extends Error {}

function hasControl(s: string, allowTab = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && !(allowTab && c === 9)) return true;
  }
  return false;
}

function metaLines(meta: Meta | undefined): string {
  let out = "";
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (hasControl(k) || hasControl(v) || k.includes("=") || k.includes(" ")) {
      throw new ProtocolError(`invalid meta variable ${JSON.stringify(k)}`);
    }
    out += `${k}=${v}\n`;
  }
  return out;
}

export function encodePre(module: string, service: string, userid: string, meta?: Meta): Buffer {
  if (/[\n\0]/.test(userid) || /[\s\0]/.test(service) || /[\s\0]/.test(module)) {
    throw new ProtocolError("invalid PRE request");
  }
  return Buffer.from(`${metaLines(meta)}PRE ${module} ${service} ${userid}\n`);
}

export function encodeAuth(service: string, authtype: string, authdata: string, meta?: Meta): Buffer {
  if (/[\n\0]/.test(service) || /[\n\0]/.test(authtype) || authdata.includes("\0")) {
    throw new ProtocolError("invalid AUTH request");
  }
  const body = Buffer.from(`${service}\n${authtype}\n${authdata}`);
  if (body.length > MAX_AUTH_BODY) throw new ProtocolError("AUTH request too large");
  return Buffer.concat([Buffer.from(`${metaLines(meta)}AUTH ${body.length}\n`), body]);
}

export function encodePasswd(service: string, userid: string, oldpass: string, newpass: string): Buffer {
  for (const f of [service, userid, oldpass, newpass]) {
    if (hasControl(f)) throw new ProtocolError("invalid PASSWD request");
  }
  return Buffer.from(`PASSWD ${service}\t${userid}\t${oldpass}\t${newpass}\n`);
}

export function encodeEnumerate(): Buffer {
  return Buffer.from("ENUMERATE\n");
}

/**
 * Incremental server-side request reader. Feed it chunks; it returns the request once
 * complete, `undefined` while more bytes are needed, and throws ProtocolError for a request
 * Courier would drop without a reply.
 */
export class RequestReader {
  private buf: Buffer = Buffer.alloc(0);
  private meta: Meta = {};
  private authLen = -1;
  private authService = "";

  push(chunk: Buffer): Request | undefined {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.authLen >= 0) {
        if (this.buf.length < this.authLen) return undefined;
        return this.finishAuth(this.buf.subarray(0, this.authLen));
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) {
        if (this.buf.length > MAX_LINE) throw new ProtocolError("request line too long");
        return undefined;
      }
      if (nl > MAX_LINE) throw new ProtocolError("request line too long");
      const line = this.buf.subarray(0, nl).toString("utf8");
      this.buf = this.buf.subarray(nl + 1);
      const req = this.line(line);
      if (req) return req;
    }
  }

  private line(line: string): Request | undefined {
    const m = /[ =]/.exec(line);
    if (m && m[0] === "=") {
      const name = line.slice(0, m.index);
      if (name === "TCPREMOTEIP") this.meta[name] = line.slice(m.index + 1, m.index + 1 + 39);
      return undefined;
    }
    const cmd = m ? line.slice(0, m.index) : line;
    const args = m ? line.slice(m.index).replace(/^ +/, "") : "";
    const meta = this.meta;
    switch (cmd) {
      case "PRE": {
        const pm = /^(\S+) +(\S+) +(.+)$/s.exec(args);
        if (!pm) throw new ProtocolError("malformed PRE");
        return { cmd: "PRE", meta, module: pm[1], service: pm[2], userid: pm[3] };
      }
      case "AUTH": {
        const n = Number.parseInt(args, 10) || 0;
        if (n < 0 || n > MAX_AUTH_BODY) throw new ProtocolError("AUTH length out of range");
        this.authLen = n;
        this.authService = "";
        return undefined;
      }
      case "PASSWD": {
        if (hasControl(args, true)) return { cmd: "PASSWD_INVALID", meta };
        const f = args.split("\t");
        if (f.length < 4) throw new ProtocolError("malformed PASSWD");
        return { cmd: "PASSWD", meta, service: f[0], userid: f[1], oldpass: f[2], newpass: f[3] };
      }
      case "ENUMERATE":
        return { cmd: "ENUMERATE", meta };
      default:
        throw new ProtocolError(`unknown command ${JSON.stringify(cmd.slice(0, 40))}`);
    }
  }

  private finishAuth(raw: Buffer): Request {
    let body = raw.toString("utf8");
    const nul = body.indexOf("\0");
    if (nul >= 0) body = body.slice(0, nul);
    const a = body.indexOf("\n");
    const b = a < 0 ? -1 : body.indexOf("\n", a + 1);
    if (a < 0 || b < 0) throw new ProtocolError("malformed AUTH body");
    this.authService = body.slice(0, a);
    return {
      cmd: "AUTH",
      meta: this.meta,
      service: this.authService,
      authtype: body.slice(a + 1, b),
      authdata: body.slice(b + 1),
    };
  }
}

export type AuthResult =
  | { kind: "ok"; record: AuthRecord }
  | { kind: "fail" }
  | { kind: "tempfail"; reason: string };

/** True once a PRE/AUTH reply is complete by the C client's rules (§4.3). */
export function replyComplete(buf: Buffer): boolean {
  if (buf.length >= MAX_REPLY) return true;
  if (buf.length === 5 && buf.toString("latin1") === "FAIL\n") return true;
  if (buf.length === 2 && buf.toString("latin1") === ".\n") return true;
  return buf.length >= 3 && buf.subarray(buf.length - 3).toString("latin1") === "\n.\n";
}

/** Interprets a PRE/AUTH reply as the C client does: `.` → ok, `FAIL` → fail, else temporary. */
export function parseReply(buf: Buffer): AuthResult {
  const lines = buf.subarray(0, MAX_REPLY).toString("utf8").split("\n");
  const collected: string[] = [];
  for (const line of lines) {
    if (line === ".") return { kind: "ok", record: parseRecord(collected) };
    if (line === "FAIL") return { kind: "fail" };
    collected.push(line);
  }
  return { kind: "tempfail", reason: buf.length ? "incomplete reply" : "no reply" };
}
