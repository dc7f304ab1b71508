// Connection accounting for -maxprocs, -maxperip and -maxperc.

export function cBlock(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
  if (v4) return v4[1];
  const colon = ip.lastIndexOf(":");
  return colon < 0 ? ip : ip.slice(0, colon);
}

export class Slots {
  private byIp = new Map<string, number>();
  private byBlock = new Map<string, number>();
  active = 0;

  constructor(
    readonly maxperip: number,
    readonly maxperc: number,
  ) {}

  /**
   * Why a new connection from `ip` must be refused, counting the other live ones, or
   * undefined; `maxperip` is the access file's MAXCPERIP when it sets one.
   */
  refusal(ip: string, maxperip = this.maxperip): "ip" | "cblock" | undefined {
    if ((this.byIp.get(ip) ?? 0) >= maxperip) return "ip";
    if ((this.byBlock.get(cBlock(ip)) ?? 0) >= this.maxperc) return "cblock";
    return undefined;
  }

  take(ip: string): void {
    this.active++;
    bump(this.byIp, ip, 1);
    bump(this.byBlock, cBlock(ip), 1);
  }

  release(ip: string): void {
    this.active--;
    bump(this.byIp, ip, -1);
    bump(this.byBlock, cBlock(ip), -1);
  }
}

function bump(m: Map<string, number>, k: string, d: number): void {
  const n = (m.get(k) ?? 0) + d;
  if (n > 0) m.set(k, n);
  else m.delete(k);
}
