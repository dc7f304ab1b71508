// The `scram-sha-256` authtype between a worker and authdaemond. The daemon keeps the
// SCRAM secret; the worker runs the SASL exchange and asks twice, on two connections:
//
//   1. authdata `<userid>\n`  →  reply `SCRAM-SHA-256=<iterations>,<base64 salt>\nFAIL\n`
//      (salt and iteration count are public: the client is sent them anyway). The reply
//      ends in FAIL on purpose: a client that does not know this authtype reads a
//      refusal, never a login.
//   2. authdata `<userid>\n<base64 AuthMessage>\n<base64 ClientProof>\n`  →  the account
//      record with one more line, `SCRAM_SERVER_SIGNATURE=<base64>` (Courier's clients
//      ignore keys they do not know), or FAIL.
//
// StoredKey and ServerKey never leave the daemon, and nothing is a password hash that a
// Courier client could mistake for PASSWD.

export const SCRAM_AUTHTYPE = "scram-sha-256";
export const SCRAM_SALT_KEY = "SCRAM-SHA-256";

export type ScramRequest =
  | { step: "salt"; userid: string }
  | { step: "proof"; userid: string; authMessage: Buffer; proof: Buffer };

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parseScramRequest(authdata: string): ScramRequest | undefined {
  const lines = authdata.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const userid = lines[0];
  if (!userid) return undefined;
  if (lines.length === 1) return { step: "salt", userid };
  if (lines.length !== 3 || !B64.test(lines[1]) || !B64.test(lines[2])) return undefined;
  return {
    step: "proof",
    userid,
    authMessage: Buffer.from(lines[1], "base64"),
    proof: Buffer.from(lines[2], "base64"),
  };
}

export function encodeScramSaltRequest(userid: string): string {
  return `${userid}\n`;
}

export function encodeScramProofRequest(userid: string, authMessage: Buffer, proof: Buffer): string {
  return `${userid}\n${authMessage.toString("base64")}\n${proof.toString("base64")}\n`;
}

/** The salt line of a step-1 reply, if any. */
export function parseScramSaltReply(reply: string): { iterations: number; salt: Buffer } | undefined {
  for (const line of reply.split("\n")) {
    const m = new RegExp(`^${SCRAM_SALT_KEY}=(\\d+),([A-Za-z0-9+/=]+)$`).exec(line);
    if (m && Number(m[1]) > 0) return { iterations: Number(m[1]), salt: Buffer.from(m[2], "base64") };
  }
  return undefined;
}
