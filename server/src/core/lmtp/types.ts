// The results of a callout as plain, JSON-able data: the CLI prints them, the language
// server sends them to the editor unchanged.

export type Protocol = 'lmtp' | 'smtp' | 'socketmap';

/** Where in the conversation something happened. */
export type Phase =
  | 'input' | 'connect' | 'greeting' | 'lhlo' | 'ehlo' | 'helo' | 'auth' | 'mail' | 'rcpt' | 'rset' | 'quit'
  | 'lookup' | 'session';

export type OutcomeKind =
  /** Every recipient accepted. */
  | 'accepted'
  /** At least one recipient refused permanently (a 5xx to its RCPT, or NOTFOUND/PERM from smmapd). */
  | 'rejected'
  /**
   * The server refused the session itself permanently before any recipient was asked: a 5xx
   * to the greeting, LHLO/EHLO/HELO, AUTH or MAIL. It says nothing about the recipients.
   */
  | 'session-rejected'
  /** A 4xx: try again later, or fix the configuration (e.g. 430 from an lmtpd without -a). */
  | 'temporary'
  /** Nothing listens there, the socket is missing, or the host cannot be reached. */
  | 'refused'
  /** A phase or the whole session ran out of time. */
  | 'timeout'
  /** The server said something that is not the protocol: garbage, a line too long, a reset mid-reply. */
  | 'protocol-error'
  /** The caller aborted. */
  | 'cancelled'
  /** The server does not offer what was asked for (e.g. AUTH PLAIN). */
  | 'unsupported'
  /** The request itself is bad (an invalid address or target); nothing was sent. */
  | 'invalid-input';

export interface Outcome {
  kind: OutcomeKind;
  /** The phase that decided the outcome; absent when all went through. */
  phase?: Phase;
  /** One sentence for a human. */
  message: string;
  /** What to change, when we know. */
  hint?: string;
  /** The system error code for connection failures (ECONNREFUSED, ENOENT, …). */
  errno?: string;
  /**
   * Set when the outcome is a rejection learnt before the session failed: what ended it,
   * leaving the recipients after the last answer not tried.
   */
  interrupted?: { kind: OutcomeKind; phase?: Phase; message: string; hint?: string; errno?: string };
}

export type RecipientStatus = 'accepted' | 'rejected' | 'temporary' | 'not-tried';

export interface RecipientResult {
  address: string;
  status: RecipientStatus;
  accepted: boolean;
  /** The reply code (SMTP/LMTP); absent for socket-map answers and recipients not tried. */
  code?: number;
  enhancedCode?: string;
  /** The server's answer as received (lines joined by "\n"). */
  reply?: string;
}

export interface RandomProbe extends RecipientResult {
  /** The domain the random local part was tried at. */
  domain: string;
}

export interface TranscriptLine {
  dir: 'C' | 'S';
  line: string;
  /** Milliseconds since the callout started. */
  ms: number;
}

export interface CalloutResult {
  target: string;
  protocol: Protocol;
  /** The greeting's text (all lines joined by "\n"), when one arrived. */
  greeting?: string;
  /** Extension keywords the server advertised (upper-case, with their parameters). */
  extensions?: string[];
  pipelining?: boolean;
  authenticated?: boolean;
  recipients: RecipientResult[];
  /** Set when the callout tried a random local part first (Exim's `callout=random`). */
  random?: { probes: RandomProbe[]; acceptsEverything: boolean };
  transcript: TranscriptLine[];
  outcome: Outcome;
  durationMs: number;
}
