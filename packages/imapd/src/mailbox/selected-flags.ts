// The FLAGS and PERMANENTFLAGS responses of the selected folder (SELECT, and again when
// the set of keywords changes): keywords first, `\*` when the store accepts new keywords.

import type { Session } from "../session/session.js";

const SYSTEM = "\\Draft \\Answered \\Flagged \\Deleted \\Seen";

export function flagsResponses(s: Session): string[] {
  const box = s.mailbox;
  if (!box) return [];
  const kw = box.folder.keywordNames();
  const pre = kw.length ? `${kw.join(" ")} ` : "";
  const lines = [`FLAGS (${pre}${SYSTEM} \\Recent)`];
  if (box.readOnly) lines.push("OK [PERMANENTFLAGS ()] No permanent flags permitted");
  else {
    const star = keywordsEnabled(s) ? "\\* " : "";
    lines.push(`OK [PERMANENTFLAGS (${pre}${star}${SYSTEM})] Limited`);
  }
  return lines;
}

export function keywordsEnabled(s: Session): boolean {
  return (s.maildir?.options.keywords ?? 0) !== 0;
}
