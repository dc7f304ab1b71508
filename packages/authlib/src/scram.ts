// SCRAM-SHA-256 (RFC 5802, RFC 7677) secrets and proof checking. A userdb field
// `scram-sha-256pw` holds the secret in RFC 5803 form:
//   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
// It is not the password, but as sensitive (ServerKey impersonates the server), so it
// lives in a ...pw field, which makeuserdb keeps in the 0600 shadow database.

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export const SCRAM_ITERATIONS = 4096;

export interface ScramSecret {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, data: string | Buffer) => createHmac("sha256", key).update(data).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

/**
 * SASLprep (RFC 4013) as far as it matters for passwords typed on keyboards: non-ASCII
 * spaces become U+0020, "commonly mapped to nothing" characters go, then NFKC.
 */
export function saslPrep(s: string): string {
  return (
    s
      .replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, " ")
      // biome-ignore lint/suspicious/noMisleadingCharacterClass: single code points, none combines with another here
      .replace(/[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g, "")
      .normalize("NFKC")
  );
}

export function scramKeys(password: string, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(saslPrep(password), salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return { clientKey, storedKey: sha256(clientKey), serverKey: hmac(salted, "Server Key") };
}

/** The RFC 5803 text for `password`. */
export function makeScramSecret(
  password: string,
  iterations = SCRAM_ITERATIONS,
  salt = randomBytes(16),
): string {
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  const b64 = (b: Buffer) => b.toString("base64");
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

export function parseScramSecret(text: string): ScramSecret | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m) return undefined;
  const secret = {
    iterations: Number(m[1]),
    salt: Buffer.from(m[2], "base64"),
    storedKey: Buffer.from(m[3], "base64"),
    serverKey: Buffer.from(m[4], "base64"),
  };
  if (
    !secret.iterations ||
    !secret.salt.length ||
    secret.storedKey.length !== 32 ||
    secret.serverKey.length !== 32
  )
    return undefined;
  return secret;
}

/** Checks ClientProof over AuthMessage; returns the ServerSignature when it is right. */
export function verifyScramProof(
  secret: ScramSecret,
  authMessage: Buffer,
  proof: Buffer,
): Buffer | undefined {
  if (proof.length !== 32) return undefined;
  const clientSignature = hmac(secret.storedKey, authMessage);
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = proof[i] ^ clientSignature[i];
  if (!timingSafeEqual(sha256(clientKey), secret.storedKey)) return undefined;
  return hmac(secret.serverKey, authMessage);
}

/** The client's side, for tests and tools: ClientProof and the expected ServerSignature. */
export function scramClientProof(password: string, salt: Buffer, iterations: number, authMessage: Buffer) {
  const { clientKey, storedKey, serverKey } = scramKeys(password, salt, iterations);
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) proof[i] = clientKey[i] ^ signature[i];
  return { proof, serverSignature: hmac(serverKey, authMessage) };
}
