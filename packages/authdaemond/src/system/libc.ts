// The system account database through libc (koffi): getpwnam_r/getspnam_r/getpwent_r go
// through NSS, so every passwd source the system has configured (files, LDAP via sssd, …)
// is seen, exactly as Courier's authpwd/authshadow see it.

import koffi from "koffi";

export interface Passwd {
  name: string;
  passwd: string;
  uid: number;
  gid: number;
  gecos: string;
  dir: string;
  shell: string;
}

export interface Shadow {
  name: string;
  passwd: string;
  lastChange: number;
  max: number;
  expire: number;
}

/** NSS said "out of memory" (or another system error): Courier answers TEMPFAIL. */
export class SystemLookupError extends Error {}

const ERANGE = 34;
const ENOMEM = 12;

let lib: ReturnType<typeof bind> | undefined;

function bind() {
  const libc = koffi.load("libc.so.6");
  const passwd = koffi.struct("courier_passwd", {
    pw_name: "char *",
    pw_passwd: "char *",
    pw_uid: "uint32",
    pw_gid: "uint32",
    pw_gecos: "char *",
    pw_dir: "char *",
    pw_shell: "char *",
  });
  const spwd = koffi.struct("courier_spwd", {
    sp_namp: "char *",
    sp_pwdp: "char *",
    sp_lstchg: "long",
    sp_min: "long",
    sp_max: "long",
    sp_warn: "long",
    sp_inact: "long",
    sp_expire: "long",
    sp_flag: "unsigned long",
  });
  return {
    passwd,
    spwd,
    getpwnam_r: libc.func(
      "int getpwnam_r(const char *name, _Out_ courier_passwd *pwd, _Out_ uint8_t *buf, size_t len, _Out_ void **result)",
    ),
    getspnam_r: libc.func(
      "int getspnam_r(const char *name, _Out_ courier_spwd *sp, _Out_ uint8_t *buf, size_t len, _Out_ void **result)",
    ),
    setpwent: libc.func("void setpwent(void)"),
    endpwent: libc.func("void endpwent(void)"),
    getpwent_r: libc.func(
      "int getpwent_r(_Out_ courier_passwd *pwd, _Out_ uint8_t *buf, size_t len, _Out_ void **result)",
    ),
    errno: () => koffi.errno(),
  };
}

function libc() {
  lib ??= bind();
  return lib;
}

type Raw = Record<string, unknown>;

function toPasswd(p: Raw): Passwd {
  return {
    name: String(p.pw_name ?? ""),
    passwd: String(p.pw_passwd ?? ""),
    uid: Number(p.pw_uid),
    gid: Number(p.pw_gid),
    gecos: String(p.pw_gecos ?? ""),
    dir: String(p.pw_dir ?? ""),
    shell: String(p.pw_shell ?? ""),
  };
}

/** Calls a *_r lookup, growing the buffer on ERANGE; undefined when there is no entry. */
function reentrant(call: (out: Raw, buf: Buffer, res: unknown[]) => number, what: string): Raw | undefined {
  for (let size = 4096; size <= 1 << 20; size *= 4) {
    const out: Raw = {};
    const res: unknown[] = [null];
    const rc = call(out, Buffer.alloc(size), res);
    if (rc === ERANGE) continue;
    if (rc === ENOMEM) throw new SystemLookupError(`${what}: out of memory`);
    return res[0] === null ? undefined : out;
  }
  throw new SystemLookupError(`${what}: entry too large`);
}

export function getpwnam(name: string): Passwd | undefined {
  if (name.includes("\0")) return undefined;
  const l = libc();
  const p = reentrant((o, b, r) => l.getpwnam_r(name, o, b, b.length, r), "getpwnam");
  return p && toPasswd(p);
}

export function getspnam(name: string): Shadow | undefined {
  if (name.includes("\0")) return undefined;
  const l = libc();
  const s = reentrant((o, b, r) => l.getspnam_r(name, o, b, b.length, r), "getspnam");
  if (!s) return undefined;
  return {
    name: String(s.sp_namp ?? ""),
    passwd: String(s.sp_pwdp ?? ""),
    lastChange: Number(s.sp_lstchg),
    max: Number(s.sp_max),
    expire: Number(s.sp_expire),
  };
}

/** Every passwd entry (getpwent), as authpwd/authshadow/authpam enumerate them. */
export function allPasswd(): Passwd[] {
  const l = libc();
  const out: Passwd[] = [];
  l.setpwent();
  try {
    for (;;) {
      const p = reentrant((o, b, r) => l.getpwent_r(o, b, b.length, r), "getpwent");
      if (!p) break;
      out.push(toPasswd(p));
    }
  } finally {
    l.endpwent();
  }
  return out;
}
