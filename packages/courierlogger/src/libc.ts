// The few libc calls Node does not offer (koffi): flock(2) for pid locks, AF_UNIX datagram
// sockets for syslog, recv(2) with MSG_PEEK for reading a PROXY header without over-reading,
// and getpwnam(3) for -user's primary group.

import koffi from "koffi";

let lib: ReturnType<typeof bind> | undefined;

function bind() {
  const libc = koffi.load("libc.so.6");
  const passwd = koffi.struct("courierlogger_passwd", {
    pw_name: "char *",
    pw_passwd: "char *",
    pw_uid: "uint32",
    pw_gid: "uint32",
    pw_gecos: "char *",
    pw_dir: "char *",
    pw_shell: "char *",
  });
  return {
    passwd,
    flock: libc.func("int flock(int fd, int op)"),
    socket: libc.func("int socket(int domain, int type, int protocol)"),
    connect: libc.func("int connect(int fd, const uint8_t *addr, uint32_t len)"),
    send: libc.func("long send(int fd, const uint8_t *buf, size_t len, int flags)"),
    recv: libc.func("long recv(int fd, _Out_ uint8_t *buf, size_t len, int flags)"),
    close: libc.func("int close(int fd)"),
    getpwnam: libc.func("courierlogger_passwd *getpwnam(const char *name)"),
  };
}

function libc() {
  lib ??= bind();
  return lib;
}

export const errno = (): number => koffi.errno();

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

/** Non-blocking exclusive flock(2); false when another open file holds it. */
export function tryLock(fd: number): boolean {
  return libc().flock(fd, LOCK_EX | LOCK_NB) === 0;
}

export function unlock(fd: number): void {
  libc().flock(fd, LOCK_UN);
}

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SUN_PATH_MAX = 108;

/** A connected AF_UNIX SOCK_DGRAM socket (close-on-exec), or -1 with errno set. */
export function connectUnixDgram(path: string): number {
  const l = libc();
  const name = Buffer.from(path);
  if (name.length >= SUN_PATH_MAX) return -1;
  const fd = l.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number;
  if (fd < 0) return -1;
  const addr = Buffer.alloc(2 + SUN_PATH_MAX);
  addr.writeUInt16LE(AF_UNIX, 0);
  name.copy(addr, 2);
  if (l.connect(fd, addr, 2 + name.length + 1) !== 0) {
    l.close(fd);
    return -1;
  }
  return fd;
}

const MSG_NOSIGNAL = 0x4000;

/** send(2) of one datagram; false on failure (errno()). */
export function sendDatagram(fd: number, data: Buffer): boolean {
  return Number(libc().send(fd, data, data.length, MSG_NOSIGNAL)) >= 0;
}

export function closeFd(fd: number): void {
  libc().close(fd);
}

const MSG_PEEK = 2;
const MSG_DONTWAIT = 0x40;
export const EAGAIN = 11;

/** recv(2) without blocking; `peek` leaves the bytes queued. -1 with errno() on failure. */
export function recvNow(fd: number, max: number, peek: boolean): Buffer | -1 {
  const buf = Buffer.alloc(max);
  const n = Number(libc().recv(fd, buf, max, MSG_DONTWAIT | (peek ? MSG_PEEK : 0)));
  return n < 0 ? -1 : buf.subarray(0, n);
}

/** uid and primary gid of a user name through NSS, or undefined. */
export function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const l = libc();
  const p = l.getpwnam(name);
  if (!p) return undefined;
  const pw = koffi.decode(p, l.passwd) as { pw_uid: number; pw_gid: number };
  return { uid: pw.pw_uid, gid: pw.pw_gid };
}
