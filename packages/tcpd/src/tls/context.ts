// TlsSettings → Node TLS server options, reading the files afresh each time: a worker
// serves one connection, so a certificate replaced on disk is in use from the next
// connection on while running sessions keep theirs (Courier's couriertls behaves alike).

import { constants } from "node:crypto";
import {
  createSecureContext,
  createServer,
  type SecureContextOptions,
  type Server,
  type TlsOptions,
} from "node:tls";
import { TlsConfigError } from "./errors.js";
import {
  dhPrimeBits,
  hasPrivateKey,
  pemBlocks,
  readable,
  readSettingFile,
  readTrust,
  variantFor,
  type Where,
} from "./files.js";
import type { TlsSettings } from "./settings.js";
import { ticketKeys } from "./ticket-keys.js";

/** "DH PARAMETERS", or "X9.42 DH PARAMETERS" as openssl dhparam -dsaparam writes. */
const DH_BLOCK = "(?:X9\\.42 )?DH PARAMETERS";

function privateKeys(pem: string): string {
  return (pem.match(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g) ?? []).join(
    "\n",
  );
}

function dhParams(s: TlsSettings, certPem: string): string {
  let pem: string | undefined;
  let variable = "TLS_DHPARAMS";
  // Courier's default config names a dhparams.pem that mkdhparams may never have made.
  if (s.dhParamsFile && readable(s.dhParamsFile)) {
    pem = pemBlocks(readSettingFile(s.dhParamsFile, variable), DH_BLOCK)[0];
    if (!pem) throw new TlsConfigError(variable, `${s.dhParamsFile} holds no DH PARAMETERS block`);
  } else {
    pem = pemBlocks(certPem, DH_BLOCK)[0];
    variable = "TLS_CERTFILE";
  }
  if (!pem) return "auto";
  const bits = dhPrimeBits(pem);
  if (bits === undefined) throw new TlsConfigError(variable, "unreadable DH PARAMETERS block");
  if (s.minDhBits && bits < s.minDhBits)
    throw new TlsConfigError(
      "TLS_MIN_DH_BITS",
      `the DH parameters in use have ${bits} bits, fewer than ${s.minDhBits}`,
    );
  return pem;
}

interface Built {
  options: SecureContextOptions;
  /** The variable the key came from, for OpenSSL's key errors. */
  keyVar: string;
}

function build(s: TlsSettings, where: Where): Built {
  const certPath = variantFor(s.certFile, where);
  const certPem = readSettingFile(certPath, "TLS_CERTFILE");
  const certs = pemBlocks(certPem, "CERTIFICATE");
  if (!certs.length) throw new TlsConfigError("TLS_CERTFILE", `${certPath} holds no PEM certificate`);
  let key: string | undefined;
  let keyVar = "TLS_CERTFILE";
  if (s.privateKeyFile) {
    const keyPath = variantFor(s.privateKeyFile, where);
    if (readable(keyPath)) {
      key = privateKeys(readSettingFile(keyPath, "TLS_PRIVATE_KEYFILE"));
      keyVar = "TLS_PRIVATE_KEYFILE";
    }
  }
  if (!key && hasPrivateKey(certPem)) key = privateKeys(certPem);
  if (!key)
    throw new TlsConfigError(
      keyVar,
      `no private key in ${certPath}${s.privateKeyFile ? ` nor ${s.privateKeyFile}` : ""}`,
    );
  let secureOptions = 0;
  if (s.noRenegotiation) secureOptions |= constants.SSL_OP_NO_RENEGOTIATION;
  if (s.noTickets) secureOptions |= constants.SSL_OP_NO_TICKET;
  const options: SecureContextOptions = {
    cert: certs.join("\n"),
    key,
    dhparam: dhParams(s, certPem),
    minVersion: s.minVersion,
    maxVersion: s.maxVersion,
    ciphers: s.ciphers,
    ecdhCurve: s.ecdhCurve,
    honorCipherOrder: s.serverCipherOrder,
    secureOptions: secureOptions || undefined,
    // Without `ca` Node parses its whole bundled root store (~40 ms a connection), which
    // a server that does not check client certificates never uses.
    ca: s.verifyPeer !== "NONE" && s.trustCerts ? readTrust(s.trustCerts) : [],
    ticketKeys: s.cacheFile && !s.noTickets ? ticketKeys(s.cacheFile) : undefined,
    sessionTimeout: s.sessionTimeout,
  };
  return { options, keyVar };
}

/** Certificate, key, DH parameters, trusted CAs, protocol and cipher choices. */
export function contextOptions(s: TlsSettings, where: Where = {}): SecureContextOptions {
  return build(s, where).options;
}

function configError(e: unknown, keyVar: string): TlsConfigError {
  const msg = (e as Error).message.replace(/^error:\S+:/, "");
  return new TlsConfigError(/key/i.test(msg) ? keyVar : "TLS_CERTFILE", msg);
}

/** Builds a context, turning OpenSSL's complaints into errors that name the variable. */
export function secureContext(s: TlsSettings, where: Where = {}) {
  const { options, keyVar } = build(s, where);
  try {
    return createSecureContext(options);
  } catch (e) {
    throw configError(e, keyVar);
  }
}

/** A tls.Server (never listening) with the context plus client-certificate, SNI and ALPN rules. */
export function tlsServer(s: TlsSettings, where: Where = {}, handshakeTimeoutMs = 60_000): Server {
  const { options, keyVar } = build(s, where);
  const alpn = s.alpn;
  const all: TlsOptions = {
    ...options,
    requestCert: s.verifyPeer !== "NONE",
    rejectUnauthorized: s.verifyPeer === "REQUIREPEER",
    handshakeTimeout: handshakeTimeoutMs,
    SNICallback: (servername, cb) => {
      try {
        const named = variantFor(s.certFile, { servername }) !== s.certFile;
        cb(null, named ? secureContext(s, { ...where, servername }) : undefined);
      } catch (e) {
        cb(e as Error, undefined);
      }
    },
    // The client's first protocol that is in TLS_ALPN; none in common fails the handshake.
    ALPNCallback: alpn ? ({ protocols }) => protocols.find((p) => alpn.includes(p)) : undefined,
  };
  try {
    return createServer(all);
  } catch (e) {
    throw configError(e, keyVar);
  }
}
