// date-time (RFC 3501 §9): "dd-Mon-yyyy hh:mm:ss +zzzz", day space-padded, server local time.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function imapDateTime(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  const day = d.getDate();
  return (
    `"${day < 10 ? ` ${day}` : day}-${MONTHS[d.getMonth()]}-${d.getFullYear()} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ` +
    `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}"`
  );
}
