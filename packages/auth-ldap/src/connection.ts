// One persistent connection to the LDAP server (spec/auth-modules.md §7.2): LDAP_URI tried in
// turn, StartTLS when LDAP_TLS=1, bound as LDAP_BINDDN when asked (else an anonymous bind, which
// also proves the server answers). A connection-level failure drops the connection; the
// operation is retried once on a fresh one, and if that fails too the caller gets
// LdapUnavailableError (a temporary failure for the client).

import { connect as netConnect } from "node:net";
import { Client, type ClientOptions, ResultCodeError } from "ldapts";
import type { LdapConfig } from "./config.js";
import { type Lookup, ldapTlsOptions } from "./tlsoptions.js";

export class LdapUnavailableError extends Error {}

/** Result codes that mean "the server cannot serve this now" rather than an answer. */
const TRANSIENT_CODES = new Set([51, 52, 80]); // busy, unavailable, other

export function isConnectionError(e: unknown): boolean {
  return !(e instanceof ResultCodeError) || TRANSIENT_CODES.has(e.code);
}

function describe(e: unknown): string {
  const err = e as Error & { code?: unknown };
  return err?.message || String(err?.code ?? e);
}

function clientFor(uri: string, cfg: LdapConfig, env: Lookup): { client: Client; host: string } {
  const ms = cfg.timeoutSec * 1000;
  const base: ClientOptions = { url: uri, timeout: ms, connectTimeout: ms, strictDN: false };
  if (/^ldapi:\/\//i.test(uri)) {
    const path = decodeURIComponent(uri.slice(8).replace(/\/.*$/, "")) || "/var/run/slapd/ldapi";
    const client = new Client({
      ...base,
      url: "ldap://localhost",
      createConnection: (() => netConnect(path)) as never,
    });
    return { client, host: "localhost" };
  }
  const host = new URL(uri).hostname.replace(/^\[|\]$/g, "") || "localhost";
  if (/^ldaps:/i.test(uri))
    return { client: new Client({ ...base, tlsOptions: ldapTlsOptions(env, host) }), host };
  return { client: new Client(base), host };
}

/**
 * ldapts keeps `isConnected` true after a StartTLS-upgraded socket was closed by the server (it
 * watches only the plain socket), so the TLS socket itself is checked as well.
 */
function alive(c: Client | undefined): c is Client {
  const sock = (c as unknown as { socket?: { destroyed?: boolean; writable?: boolean } } | undefined)?.socket;
  return !!c?.isConnected && !!sock && !sock.destroyed && sock.writable !== false;
}

export class LdapConnection {
  private client: Client | undefined;
  private opening: Promise<Client> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `asAdmin`: bind as LDAP_BINDDN (the main connection with LDAP_INITBIND=1). */
  constructor(
    private readonly cfg: LdapConfig,
    private readonly env: Lookup,
    private readonly asAdmin: boolean,
  ) {}

  private async open(): Promise<Client> {
    const errors: string[] = [];
    for (const uri of this.cfg.uris) {
      let client: Client | undefined;
      try {
        const made = clientFor(uri, this.cfg, this.env);
        client = made.client;
        if (this.cfg.startTls) await client.startTLS(ldapTlsOptions(this.env, made.host));
        if (this.asAdmin) await client.bind(this.cfg.bindDn ?? "", this.cfg.bindPw ?? "");
        else await client.bind("", "");
        return client;
      } catch (e) {
        errors.push(`${uri}: ${describe(e)}`);
        void client?.unbind().catch(() => {});
      }
    }
    throw new LdapUnavailableError(`cannot connect to the LDAP server (${errors.join("; ")})`);
  }

  /** The connected client, opening one when needed (one attempt at a time). */
  async get(): Promise<Client> {
    if (alive(this.client)) return this.client;
    this.drop();
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    const c = await this.opening;
    this.client = c;
    return c;
  }

  /** Forgets the connection (after an error, on idle, or when the settings changed). */
  drop(): void {
    const c = this.client;
    this.client = undefined;
    if (c) void c.unbind().catch(() => {});
  }

  /** Runs `op`; on a connection-level failure reconnects and runs it once more. */
  async run<T>(op: (c: Client) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.get();
      try {
        return await op(c);
      } catch (e) {
        if (!isConnectionError(e)) throw e;
        this.drop();
        if (attempt > 0) throw new LdapUnavailableError(`LDAP server unavailable: ${describe(e)}`);
      }
    }
  }

  /** Like run(), but never concurrently with another exclusive() call (binds change the session). */
  exclusive<T>(op: (c: Client) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.run(op));
    this.queue = next.catch(() => {});
    return next;
  }
}
