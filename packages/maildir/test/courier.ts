// Running the real Courier on a maildir: imapd and pop3d started by hand speak PREAUTH /
// +OK on stdin/stdout (imapd-behaviour.md §1). Missing binaries skip the tests, except with
// CI=true, where they fail.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const IMAPD = [process.env.COURIER_IMAPD, "/usr/bin/imapd", "/opt/courier-imap-extract/usr/bin/imapd"];
const POP3D = [process.env.COURIER_POP3D, "/usr/lib/courier/courier/courierpop3d"];

export const courierImapd = IMAPD.find((p) => p && existsSync(p));
export const courierPop3d = POP3D.find((p) => p && existsSync(p));

/** Reason to skip, or undefined when Courier is available; throws under CI. */
export function courierMissing(): string | undefined {
  if (courierImapd && courierPop3d) return undefined;
  const why = `Courier's ${courierImapd ? "pop3d" : "imapd"} is not installed (apt-get install courier-imap courier-pop)`;
  if (process.env.CI === "true") throw new Error(why);
  return why;
}

function env(): NodeJS.ProcessEnv {
  return {
    PATH: "/usr/bin:/bin",
    TCPREMOTEIP: "127.0.0.1",
    TCPREMOTEPORT: "0",
    IMAP_KEYWORDS: "1",
    IMAP_USELOCKS: "1",
    HOSTNAME: "courier.test",
  };
}

/** One IMAP session; `lines` are sent as CRLF lines (literals inline). Returns the server output. */
export function courierImap(maildir: string, lines: string[]): string {
  const r = spawnSync(courierImapd!, [maildir], { input: lines.map((l) => `${l}\r\n`).join(""), env: env() });
  return r.stdout.toString("utf8");
}

export function courierPop3(maildir: string, lines: string[]): string {
  const r = spawnSync(courierPop3d!, [maildir], { input: lines.map((l) => `${l}\r\n`).join(""), env: env() });
  return r.stdout.toString("utf8");
}

export function appendCmd(tag: string, mailbox: string, flags: string, message: string): string {
  const crlf = message.replace(/\n/g, "\r\n");
  return `${tag} APPEND ${mailbox} (${flags}) {${Buffer.byteLength(crlf)}}\r\n${crlf}`;
}

export interface Fetched {
  uid: number;
  flags: string[];
}

export function parseSelect(out: string): { uidValidity: number; fetched: Fetched[] } {
  const uidv = /\[UIDVALIDITY (\d+)\]/.exec(out);
  const fetched: Fetched[] = [];
  for (const m of out.matchAll(
    /^\* \d+ FETCH \((?:UID (\d+) FLAGS \(([^)]*)\)|FLAGS \(([^)]*)\) UID (\d+))\)/gm,
  )) {
    const uid = Number(m[1] ?? m[4]);
    const flags = (m[2] ?? m[3]).split(" ").filter((f) => f && f !== "\\Recent");
    fetched.push({ uid, flags: flags.sort() });
  }
  return { uidValidity: uidv ? Number(uidv[1]) : -1, fetched };
}

export function parseList(out: string, kind: "LIST" | "LSUB"): string[] {
  return [...out.matchAll(new RegExp(`^\\* ${kind} \\(([^)]*)\\) "\\." "?([^"\\r]*)"?\\r?$`, "gm"))]
    .map((m) => `${m[2]}${/\\Noselect/.test(m[1]) ? " (noselect)" : ""}`)
    .sort();
}

export function parseUidl(out: string): string[] {
  const body = out.split("\r\n");
  const start = body.findIndex((l) => l.startsWith("+OK") && !l.includes("logged in"));
  const res: string[] = [];
  for (let i = start + 1; i < body.length && body[i] !== "."; i++) res.push(body[i]);
  return res;
}
