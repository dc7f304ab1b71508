// -user=/-group= (couriertcpd, courierlogger): numeric ids or names; -user also takes the
// user's primary group (unless -group is given) and its supplementary groups.

import { lookupUser } from "./libc.js";

export interface Identity {
  user?: string;
  group?: string;
}

export function dropPrivileges(id: Identity): void {
  if (!id.user && !id.group) return;
  let uid: number | undefined;
  let gid: number | string | undefined = id.group && (/^\d+$/.test(id.group) ? Number(id.group) : id.group);
  if (id.user) {
    const pw = /^\d+$/.test(id.user) ? { uid: Number(id.user), gid: undefined } : lookupUser(id.user);
    if (!pw) throw new Error(`unknown user: ${id.user}`);
    uid = pw.uid;
    gid ??= pw.gid;
  }
  if (gid !== undefined) process.setgid!(gid);
  if (id.user && !/^\d+$/.test(id.user))
    (process as unknown as { initgroups(u: string, g: number | string): void }).initgroups(
      id.user,
      gid ?? process.getgid!(),
    );
  else if (gid !== undefined && process.getuid!() === 0) process.setgroups!([gid]);
  if (uid !== undefined) process.setuid!(uid);
}
