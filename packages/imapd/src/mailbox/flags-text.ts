import type { MessageInfo } from "@courier-imap/maildir";

/** The FLAGS list of a message as sent to the client, `\Recent` last. */
export function flagsText(msg: MessageInfo): string {
  const all: string[] = [...msg.flags];
  if (msg.recent) all.push("\\Recent");
  return `(${all.join(" ")})`;
}
