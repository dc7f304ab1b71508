// The session as plain, serializable data: what the client has been told. Live handles
// (open folder, sockets) are kept beside it in Session, never in here.

export type Phase = "not-authenticated" | "authenticated" | "selected" | "logout";

export interface SelectedState {
  mailbox: string;
  readOnly: boolean;
  uidValidity: number;
  uidNext: number;
  /** UID of each message, by sequence number − 1, as the client knows them. */
  uids: number[];
}

export interface SessionState {
  phase: Phase;
  /** Login name as given by the client (for log lines). */
  user?: string;
  /** Maildir root of the logged-in account (absolute). */
  maildir?: string;
  enabled: string[];
  selected?: SelectedState;
  startedAt: number;
  headerBytes: number;
  bodyBytes: number;
  consecutiveErrors: number;
}

export function initialState(now = Date.now()): SessionState {
  return {
    phase: "not-authenticated",
    enabled: [],
    startedAt: now,
    headerBytes: 0,
    bodyBytes: 0,
    consecutiveErrors: 0,
  };
}
