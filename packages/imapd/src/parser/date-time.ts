// date (`1-Feb-1994`, SEARCH) and date-time (`" 1-Feb-1994 21:52:25 -0800"`, APPEND) of
// RFC 3501 §9. Grammar only: undefined when the text is not one.

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export interface CalendarDate {
  year: number;
  /** 0-11 */
  month: number;
  day: number;
}

function validDay(year: number, month: number, day: number): boolean {
  return day >= 1 && day <= new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** `d-Mon-yyyy` or `dd-Mon-yyyy` (also accepted quoted by the caller). */
export function parseImapDate(text: string): CalendarDate | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (month < 0 || !validDay(year, month, day)) return undefined;
  return { year, month, day };
}

/** The instant an IMAP date-time names. */
export function parseImapDateTime(text: string): Date | undefined {
  const m = /^([ \d]\d)-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  if (!m) return undefined;
  const d = parseImapDate(`${m[1].trim()}-${m[2]}-${m[3]}`);
  const [hh, mm, ss, zh, zm] = [m[4], m[5], m[6], m[8], m[9]].map(Number);
  if (!d || hh > 23 || mm > 59 || ss > 60 || zm > 59) return undefined;
  const offset = (m[7] === "-" ? -1 : 1) * (zh * 60 + zm);
  return new Date(Date.UTC(d.year, d.month, d.day, hh, mm, ss) - offset * 60_000);
}
