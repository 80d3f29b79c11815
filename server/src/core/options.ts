/** What the user targets. Findings depend on it (an option newer than the target is an error). */
export type EximVersion = 'latest' | '4.96';
export type CyrusVersion = 'latest' | '3.6';

export interface CheckOptions {
  eximVersion: EximVersion;
  cyrusVersion: CyrusVersion;
  /** `-D NAME=VALUE` overrides, as given to exim on the command line. */
  defines: Record<string, string>;
}

export const defaultOptions: CheckOptions = { eximVersion: 'latest', cyrusVersion: 'latest', defines: {} };
