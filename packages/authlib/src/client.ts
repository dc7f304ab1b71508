// Client half of the authdaemond protocol, as Courier's libcourierauth behaves
// (spec/authdaemon-protocol.md §8): one request per connection, 30 s reply deadline.

import { connect } from "node:net";
import {
  type AuthResult,
  encodeAuth,
  encodeEnumerate,
  encodePasswd,
  encodePre,
  type Meta,
  ProtocolError,
  parseReply,
  replyComplete,
} from "./protocol.js";

export interface ClientOptions {
  /** Path of authdaemond's socket. */
  socket: string;
  /** Seconds; defaults from TIMEOUT_SOCK / TIMEOUT_READ as Courier's client. */
  connectTimeout?: number;
  readTimeout?: number;
}

function envSeconds(name: string, dflt: number): number {
  const n = Number.parseInt(process.env[name] ?? "", 10);
  return n > 0 ? n : dflt;
}

/** Sends one request and collects the reply until `done(buffer)` or EOF or the deadline. */
export function exchange(
  opts: ClientOptions,
  request: Buffer,
  done: (buf: Buffer) => boolean,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  const connectMs = (opts.connectTimeout ?? envSeconds("TIMEOUT_SOCK", 10)) * 1000;
  const readMs = (opts.readTimeout ?? envSeconds("TIMEOUT_READ", 30)) * 1000;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const sock = connect(opts.socket);
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(Buffer.concat(chunks));
    };
    let timer = setTimeout(finish, connectMs);
    sock.on("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(finish, readMs);
      sock.write(request);
    });
    sock.on("data", (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= maxBytes || done(Buffer.concat(chunks))) finish();
    });
    sock.on("error", finish);
    sock.on("close", finish);
  });
}

function defaultMeta(): Meta {
  const ip = process.env.TCPREMOTEIP;
  return ip ? { TCPREMOTEIP: ip } : {};
}

async function authRequest(opts: ClientOptions, req: Buffer): Promise<AuthResult> {
  const reply = await exchange(opts, req, replyComplete);
  return parseReply(reply);
}

/** Applies DEFDOMAIN/DOMAINSEP to a login name as Courier's client does. */
export function applyDefDomain(userid: string, env: NodeJS.ProcessEnv = process.env): string {
  const def = env.DEFDOMAIN;
  if (!def) return userid;
  const seps = env.DOMAINSEP || def[0];
  for (const c of seps) if (userid.includes(c)) return userid;
  return userid + def;
}

/** `AUTH` with authtype `login`. A userid or password with control bytes is rejected locally. */
export async function authLogin(
  opts: ClientOptions,
  service: string,
  userid: string,
  password: string,
  meta: Meta = defaultMeta(),
): Promise<AuthResult> {
  if (/[\x00-\x1f]/.test(userid) || /[\x00-\x1f]/.test(password)) return { kind: "fail" };
  const user = applyDefDomain(userid);
  return authRequest(opts, encodeAuth(service, "login", `${user}\n${password}\n`, meta));
}

/** `AUTH` with any authtype; `EXTERNAL` becomes a PRE lookup as in Courier. */
export async function authGeneric(
  opts: ClientOptions,
  service: string,
  authtype: string,
  authdata: string,
  meta: Meta = defaultMeta(),
): Promise<AuthResult> {
  if (authtype === "EXTERNAL") return authPre(opts, service, authdata, meta);
  try {
    return await authRequest(opts, encodeAuth(service, authtype, authdata, meta));
  } catch (e) {
    if (e instanceof ProtocolError) return { kind: "fail" };
    throw e;
  }
}

/** `PRE . service userid`: account lookup without a password. */
export async function authPre(
  opts: ClientOptions,
  service: string,
  userid: string,
  meta: Meta = defaultMeta(),
  module = ".",
): Promise<AuthResult> {
  try {
    return await authRequest(opts, encodePre(module, service, userid, meta));
  } catch (e) {
    if (e instanceof ProtocolError) return { kind: "fail" };
    throw e;
  }
}

/** `PASSWD`: true only when the daemon answers exactly `OK\n`. */
export async function authPasswd(
  opts: ClientOptions,
  service: string,
  userid: string,
  oldpass: string,
  newpass: string,
): Promise<boolean> {
  let req: Buffer;
  try {
    req = encodePasswd(service, userid, oldpass, newpass);
  } catch {
    return false;
  }
  const reply = await exchange(opts, req, (b) => b.includes(10));
  return reply.toString("latin1") === "OK\n";
}

export interface EnumeratedAccount {
  module: string;
  name: string;
  uid: number;
  gid: number;
  home: string;
  maildir: string;
  options: string;
}

/** `ENUMERATE`; resolves undefined when the listing ends without the final `.`. */
export async function authEnumerate(opts: ClientOptions): Promise<EnumeratedAccount[] | undefined> {
  const reply = await exchange(
    { ...opts, readTimeout: opts.readTimeout ?? 60 },
    encodeEnumerate(),
    (b) => b.length >= 2 && (b.toString("latin1") === ".\n" || b.subarray(-3).toString("latin1") === "\n.\n"),
  );
  const out: EnumeratedAccount[] = [];
  let module = "";
  for (const raw of reply.toString("utf8").split("\n")) {
    if (raw === ".") return out;
    if (raw.startsWith("# ")) module = raw.slice(2);
    const line = raw.split("#")[0];
    const f = line.split("\t");
    if (f.length < 4) continue;
    const uid = Number.parseInt(f[1], 10);
    const gid = Number.parseInt(f[2], 10);
    if (!uid || !gid) continue;
    out.push({ module, name: f[0], uid, gid, home: f[3], maildir: f[4] ?? "", options: f[5] ?? "" });
  }
  return undefined;
}
