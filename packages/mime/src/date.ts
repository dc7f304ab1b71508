// The Date: header (RFC 5322 §3.3 with the obsolete forms of §4.3) for SENTBEFORE/ON/SINCE.

export interface SentDate {
  /** The calendar date as written in the header (what SENT* compare, RFC 3501 §6.4.4). */
  year: number;
  month: number;
  day: number;
  /** The instant, in ms since the epoch (UTC). */
  time: number;
  /** Zone offset in minutes east of UTC. */
  zone: number;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

/** Parses a Date: value; null when it is not a date. Comments and day names are ignored. */
export function parseDateHeader(raw: string): SentDate | null {
  let s = raw;
  for (let i = 0; i < 5 && s.includes("("); i++) s = s.replace(/\([^()]*\)/g, " ");
  const tokens = s
    .replace(/[\r\n]/g, " ")
    .replace(/,/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let i = 0;
  if (tokens[i] && /^[a-z]{3,}$/i.test(tokens[i]) && !MONTHS.includes(tokens[i].slice(0, 3).toLowerCase()))
    i++;
  let day: number;
  let month: number;
  // "12 Jun 2020" and the odd "Jun 12 2020"
  if (/^\d{1,2}$/.test(tokens[i] ?? "")) {
    day = Number(tokens[i++]);
    month = monthOf(tokens[i++]);
  } else {
    month = monthOf(tokens[i++]);
    day = Number(tokens[i++]);
  }
  const ytok = tokens[i++] ?? "";
  if (month < 0 || !/^\d{2,4}$/.test(ytok) || !(day >= 1 && day <= 31)) return null;
  let year = Number(ytok);
  if (ytok.length === 2) year += year < 50 ? 2000 : 1900;
  else if (ytok.length === 3) year += 1900;
  let h = 0;
  let mi = 0;
  let sec = 0;
  const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(tokens[i] ?? "");
  if (tm) {
    h = Number(tm[1]);
    mi = Number(tm[2]);
    sec = tm[3] ? Number(tm[3]) : 0;
    i++;
  }
  let zone = 0;
  const z = tokens[i] ?? "";
  const zm = /^([+-])(\d{2})(\d{2})$/.exec(z);
  if (zm) zone = (zm[1] === "-" ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3]));
  else if (ZONES[z.toLowerCase()] !== undefined) zone = ZONES[z.toLowerCase()];
  const time = Date.UTC(year, month, day, h, mi, sec) - zone * 60000;
  if (Number.isNaN(time)) return null;
  return { year, month: month + 1, day, time, zone };
}

function monthOf(tok: string | undefined): number {
  return tok ? MONTHS.indexOf(tok.slice(0, 3).toLowerCase()) : -1;
}
