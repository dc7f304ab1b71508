// The wire form of a stored message: the file uses LF, IMAP wants CRLF, so every LF is
// sent as CRLF and RFC822.SIZE = bytes + number of LFs. One pass over the file yields
// the size and a sparse index (LF count at every CHUNK boundary) so that a range of the
// CRLF form can start reading near its first byte instead of at the top of the file.

import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";

export const CHUNK = 64 * 1024;

export interface CrlfInfo {
  /** Bytes in the file. */
  bytes: number;
  /** Size of the CRLF form. */
  size: number;
  /** Size of the CRLF form of the header, including the blank line (all of it if none). */
  headerSize: number;
  /** lfBefore[i] = number of LFs in the file before offset i*CHUNK. */
  lfBefore: number[];
}

function countLf(buf: Buffer, end: number): number {
  let n = 0;
  let i = buf.indexOf(10);
  while (i >= 0 && i < end) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/** Offset just past the first empty line in buf[0, len), given whether the byte before buf was LF. */
function blankLineEnd(buf: Buffer, len: number, prevLf: boolean): number {
  if (prevLf && len > 0 && buf[0] === 10) return 1;
  const i = buf.subarray(0, len).indexOf("\n\n");
  return i < 0 ? -1 : i + 2;
}

/** Measures a file read CHUNK bytes at a time by `read(position)` (an empty buffer at the end). */
function measureWith(read: (position: number) => Buffer): CrlfInfo {
  const lfBefore: number[] = [];
  let bytes = 0;
  let lf = 0;
  let headerSize = -1;
  let prevLf = true; // a message starting with LF has an empty header
  for (;;) {
    lfBefore.push(lf);
    const buf = read(bytes);
    const bytesRead = buf.length;
    if (bytesRead === 0) break;
    if (headerSize < 0) {
      const end = blankLineEnd(buf, bytesRead, prevLf);
      if (end >= 0) headerSize = bytes + end + lf + countLf(buf, end);
      prevLf = buf[bytesRead - 1] === 10;
    }
    lf += countLf(buf, bytesRead);
    bytes += bytesRead;
    if (bytesRead < CHUNK) break;
  }
  const size = bytes + lf;
  return { bytes, size, headerSize: headerSize < 0 ? size : headerSize, lfBefore };
}

export async function measureCrlf(path: string): Promise<CrlfInfo> {
  return measureCrlfSync(path);
}

/**
 * Synchronous: an imapd or pop3d worker serves one connection, so nothing else waits on
 * its event loop, and a blocking read costs far less than a thread-pool round trip.
 */
export function measureCrlfSync(path: string): CrlfInfo {
  const fd = openSync(path, "r");
  try {
    syncBuf ??= Buffer.allocUnsafe(CHUNK);
    const buf = syncBuf;
    return measureWith((position) => buf.subarray(0, readSync(fd, buf, 0, CHUNK, position)));
  } finally {
    closeSync(fd);
  }
}
let syncBuf: Buffer | undefined;

/** The CrlfInfo of a whole file already in memory. */
export function measureCrlfBuffer(file: Buffer): CrlfInfo {
  return measureWith((position) => file.subarray(position, position + CHUNK));
}

// Through a latin1 string (one char per byte, both ways exact): V8's replaceAll does in
// one native pass what a loop over the lines does with several JS calls per line.

/** The CRLF form of buf[0, len): every LF preceded by a CR. */
export function toCrlf(buf: Buffer, len: number = buf.length): Buffer {
  return Buffer.from(buf.toString("latin1", 0, len).replaceAll("\n", "\r\n"), "latin1");
}

/** Writes the CRLF form of `src` into `dst`, as much as fits; bytes written. */
export function crlfInto(src: Buffer, dst: Buffer): number {
  return dst.write(src.toString("latin1").replaceAll("\n", "\r\n"), 0, "latin1");
}

/**
 * Yields the bytes [start, end) of the CRLF form, reading CHUNK bytes at a time. If the
 * file turns out shorter than `info` says (it changed underneath), the rest is padded with
 * spaces so that a literal already announced to the client keeps its length.
 */
export async function* crlfRange(
  path: string,
  info: CrlfInfo,
  start = 0,
  end = info.size,
): AsyncGenerator<Buffer> {
  end = Math.min(end, info.size);
  if (start >= end) return;
  let k = info.lfBefore.length - 1;
  while (k > 0 && k * CHUNK + info.lfBefore[k] > start) k--;
  let fileOff = k * CHUNK;
  let pos = fileOff + info.lfBefore[k];
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    while (pos < end) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, fileOff);
      if (bytesRead === 0) break;
      fileOff += bytesRead;
      const conv = toCrlf(buf, bytesRead);
      const from = Math.max(0, start - pos);
      const to = Math.min(conv.length, end - pos);
      if (to > from) yield conv.subarray(from, to);
      pos += conv.length;
    }
  } finally {
    await fh.close();
  }
  if (pos < end) yield Buffer.alloc(end - Math.max(pos, start), 32);
}
