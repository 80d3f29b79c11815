// TCP ports by service name, for when /etc/services is not at hand: Cyrus's listen=, Exim's
// port lists and a callout target may all name a port this way. Names and aliases as
// Debian's /etc/services has them (465 has four; LMTP has no IANA TCP port of its own, 24
// is the one the services file gives), and Cyrus's mupdate, fud and csync as its manual
// gives them. Lookups are exact, and only of the table's own names ("constructor" is no
// service): callers that fold case do so.
import { ownEntry } from './own';

export const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = {
  smtp: 25, submission: 587, submissions: 465, ssmtp: 465, smtps: 465, urd: 465, lmtp: 24,
  http: 80, www: 80, https: 443, 'http-alt': 8080, webcache: 8080,
  pop3: 110, 'pop-3': 110, pop3s: 995, imap: 143, imap2: 143, imaps: 993,
  nntp: 119, readnews: 119, nntps: 563, snntp: 563, ldap: 389, ldaps: 636,
  sieve: 4190, mupdate: 3905, fud: 4201, csync: 2005,
};

/** The port a well-known service name stands for (exact name), if any. */
export function wellKnownPort(name: string): number | undefined {
  return ownEntry(WELL_KNOWN_PORTS, name);
}
