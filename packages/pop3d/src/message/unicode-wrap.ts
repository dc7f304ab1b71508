// A message whose header has 8-bit bytes, sent to a client that did not enable UTF8
// (RFC 6856 §3), goes out wrapped as Courier does (pop3d-and-tcpd.md §3): a generated
// multipart/mixed message explaining why, with the original as its second part, of type
// MIME_UNICODE_MESSAGE_TYPE (default message/global). The wrapper text is CRLF already.

export interface Wrapper {
  head: Buffer;
  tail: Buffer;
}

export function unicodeWrapper(env: NodeJS.ProcessEnv): Wrapper {
  const boundary = `=_${process.pid}-${Math.floor(Date.now() / 1000)}`;
  const type = env.MIME_UNICODE_MESSAGE_TYPE?.trim() || "message/global";
  const head = [
    "From: Mail Delivery Subsystem <postmaster>",
    "Subject: Cannot display Unicode content",
    "Mime-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    "",
    "",
    `--${boundary}`,
    "Content-Type: text/plain",
    "",
    "This E-mail message was determined to be Unicode-formatted",
    "but your E-mail reader does not support Unicode E-mail.",
    "",
    "Please use an E-mail reader that supports POP3 with UTF-8",
    "(see https://tools.ietf.org/html/rfc6856.html).",
    "",
    "This can also happen when the sender's E-mail program does not",
    "correctly format the sent message.",
    "",
    "The original message is included as a separate attachment",
    "so that it can be downloaded manually.",
    "",
    `--${boundary}`,
    `Content-Type: ${type}`,
    "",
    "",
  ].join("\r\n");
  return { head: Buffer.from(head), tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
}
