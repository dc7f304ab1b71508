import type { MessageInfo } from "@courier-imap/maildir";

/** The FLAGS list of a message as sent to the client: system flags, keywords, `\Recent` last. */
export function flagsText(msg: MessageInfo): string {
  const all: string[] = [...msg.flags, ...msg.keywords];
  if (msg.recent) all.push("\\Recent");
  return `(${all.join(" ")})`;
}
