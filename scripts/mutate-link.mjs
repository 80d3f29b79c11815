// Differential check of our Exim <-> Cyrus link rules against Debian's real Exim 4.96 and
// Cyrus 3.6 on loopback: takes the clean pairing (examples/reference/exim.conf with the live
// harness's cyrus.conf and imapd.conf), makes one seeded mistake at a point where the two
// meet, and compares our findings on the triple with what really happens: the RCPT ACL run
// with real callouts (`exim4 -C conf -bhc`) for a known and an unknown user, and one real
// delivery (`exim4 -C conf -odf`) counted in the mailbox. A developer tool, not in `npm test`.
//
//   node scripts/mutate-link.mjs [--count N] [--seed S] [--kind NAME] [--report FILE] [--verbose]
//
// --count mutants (default: every mutation once), --seed (default 1) fixes their order,
// --kind keeps only kinds whose name contains NAME, --report (default
// test-artifacts/mutate-link-report.txt) gets every disagreement in full.
//
// Classification: FALSE-POSITIVE when we report an error (new against the unmutated pairing)
// but the known user is accepted and delivered to its own mailbox and the unknown one is
// refused (where the ACL still asks for a callout); MISS when any of that fails and we report
// neither error nor warning; else agree. Free ports are picked at run time; everything else
// is fixed by the seed.
//
// Disagreements triage left standing (seed 1, every mutation): these are not rule bugs.
// - A deliberate change of meaning, not a broken link: cyrus_domains without example.com
//   ("relay not permitted"), the Cyrus router's transport set to another, non-Cyrus one,
//   or the callout's domains changed. (The callout removed, or put after `accept domains =
//   +cyrus_domains`, stood here until the fifth round: see there.)
// - virtdomains: off with one Cyrus domain, or defaultdomain: example.com: lmtpd files
//   alice@example.com as user/alice, the single-domain layout the virtdomains rule accepts on
//   purpose; here it counts as MISDELIVERED because user/alice is a separate mailbox.
// - callout=postmaster/fullpostmaster: Cyrus has no postmaster mailbox here, so every
//   callout fails; depends on the mailboxes, not on the configs.
// - cyrus_vdom after system_aliases or last: nobody@ is taken by /etc/aliases ("nobody:
//   root") before Cyrus; depends on this machine's /etc/aliases.
// - lmtpd on [::1] with hosts = localhost: our host matching counts localhost as ::1 too;
//   here /etc/hosts gives only 127.0.0.1. Depends on /etc/hosts.
// Second round (cyrus-service, imapd-option, transport-option, router-option,
// router-manualroute, callout-option): manualroute hosts overriding the transport's were a
// rule bug (fixed); hosts_avoid_esmtp on the LMTP transport (Exim greets lmtpd with HELO,
// "500 5.5.2 Syntax error") had no rule (now link/lmtp-avoid-esmtp). Left standing:
// - Changes of meaning on cyrus_vdom: local_parts, condition, check_local_user, fail_verify,
//   verify_only. (local_part_suffix without local_part_suffix_optional, standing here until
//   seed 27, is now link/cyrus-router-affix-required: plain addresses never reach Cyrus.) (no_verify / verify_recipient = false, standing here in the
//   second round, is now link/cyrus-router-no-verify: a warning, as verification, and so the
//   callout, goes to the later routers and every Cyrus recipient gets "Unknown user". unseen,
//   here until the fourth round, is now link/cyrus-router-unseen: see there.)
// - callout_random_local_part = alice: the "random" address exists, so Exim takes Cyrus for
//   an accept-all server and skips the check; depends on the mailboxes.
// - lmtpd without -C reads /etc/imapd.conf, this machine's, not the pairing's.
// - hosts = ${if ...}: expanded at delivery time, never guessed.
// - virtdomains: on with defaultdomain: example.com: the defaultdomain case above again.
// - hosts = localhost. (trailing dot): resolves or not by this machine's resolver.
// Third round (manualroute-smtp, route-list-port; seeds 5 and 9, every kind): 37
// disagreements before, 30 after, no false positive, the same verdicts under both seeds
// (a seed only reorders the same mutants). Fixed: smtp-to-lmtpd looked only at the
// transport's own hosts, not at a manualroute router's that replace them; no_verify /
// verify_recipient = false is now link/cyrus-router-no-verify; accept domains =
// +local_domains (the callout verifies the Cyrus domains, then "relay not permitted"
// refuses existing mailboxes) is now link/domain-mismatch. host::port in route_list or
// route_data needs no rule: the router looks the host up with its port and callout and
// delivery both use it (only the transport's own host::port, also under hosts_override, is
// lost to the callout). A router list "127.0.0.2 : 127.0.0.1::<port>" agreed for the wrong
// reason: Exim drops 127.0.0.1 (this machine, after a host that is not), so it is no
// fallback; now an error rather than a warning. The 30 left are the cases listed above.
// Fourth round (router-unseen; seeds 5 and 9, every kind): 30 disagreements, no false
// positive. cyrus_vdom unseen was no change of meaning but a broken link: Exim verifies the
// copy unseen makes with the routers after the Cyrus router (after its callout passes), and
// they refuse every Cyrus mailbox as "Unknown user"; each delivery's copy bounces too. Now
// link/cyrus-router-unseen, a warning. A later router for the Cyrus domains, a verify_only
// Cyrus router after it (each delivery's copy still bounces: not counted here) or a callout
// with success_on_redirect mend verification, unflagged; unseen with no_verify is
// link/cyrus-router-no-verify. Left standing: unseen = ${if ...} is reported as information
// only (the expansion decides per recipient).
// Fifth round (transport-auth, transport-auth-client; seed 13): hosts_require_tls = *, left
// standing until then, is now link/lmtp-tls-unavailable (lmtpd -a never offers STARTTLS).
// The new client-authenticator kinds found that a PLAIN client is no proof the transport
// authenticates: lmtpd -a offers only EXTERNAL, and lmtpd without -a keeps PLAIN back without
// TLS when allowplaintext is off, or offers only what sasl_mech_list lists. Now
// link/auth-no-common-mechanism (hosts_require_auth) and link/lmtp-auth-required
// (hosts_try_auth). 23 mutants, all agree. The callout removed, or put after the accept of
// Cyrus's domains, is now link/no-recipient-callout (a warning): unknown users are accepted,
// then bounced after lmtpd's 550. acl kinds, seed 13: 21 mutants, 19 agree; the two left are
// callout=postmaster / fullpostmaster, as above. Seed 14, every kind: 219 mutants, no false
// positive, 26 misses, all in the classes above. Seed 15: the Cyrus router's transport set to
// remote_smtp (no hosts under an accept router: no callout, every delivery defers "called
// with no hosts set") had no rule; now exim/transport-no-destination, which also covers
// address_pipe and address_file there (no command, no file: every delivery defers).
// local_delivery there delivers to /var/mail, a change of meaning.
// Seeds 33 and 34, every kind (219 mutants each): no false positive; the misses are all in
// the classes above.
// Sixth round (transport-limits, cyrus-service-limits, imapd-limits; 26 mutants): the LMTP
// transport's own message_size_limit = 100 (bytes: every message is accepted, then failed
// at delivery as "too big") had no rule; now link/message-size-limit covers it beside
// Cyrus's maxmessagesize. The other 25 agree: zero timeouts, max_rcpt = 0, chunking, PRDR,
// serialize_hosts, port 24 (nothing listens there: link/lmtp-no-listener), lmtpd's service
// limits and imapd.conf's size limits.
// Seventh round (router-copied, transport-copied, callout-timing; 26 mutants): options copied
// from dnslookup and remote_smtp. hosts_require_dane on the LMTP transport had no rule: Exim
// does DANE only for a host found by a DNSSEC-validated lookup, and localhost under
// gethostbyname never is, so every message for Cyrus bounces ("DANE error: localhost lookup
// not DNSSEC"); now link/lmtp-tls-unavailable. A callout time of 0s makes no callout (an
// unknown user passes RCPT): now an exim/invalid-value warning, and a time without its unit
// (callout=30, 451 to every RCPT) an exim/acl-syntax one. Left standing: user = cyrus on the transport
// (this harness's Exim runs -C as Debian-exim and cannot change user; a daemon can),
// senders = ! : on the Cyrus router (standing here until the fourteenth round's session: it
// is now exim/router-empty-sender, as the reference ACL verifies senders and a bounce to a
// Cyrus user, the harness's MAIL FROM:<>, is refused "Unknown user"), require_files naming a missing
// file and dkim_strict with a missing key (what this machine holds), socks_proxy to no
// proxy. ignore_target_hosts = 127.0.0.0/8 agrees: an accept router has no hosts of its own
// to ignore, and the transport's are not filtered by it.
// Eighth round (transport-hosts, cyrus-listen-name, rcpt-acl; 14 mutants): hosts = +list,
// hosts = [127.0.0.1] and hosts = "localhost, 127.0.0.1" had no rule: Exim looks each item
// up whole as a host name, fails ("failed to lookup IP address for ..."), and every callout
// and delivery defers; now exim/invalid-value warnings (manualroute's route_list too).
// Left standing: acl_smtp_rcpt removed (Exim refuses every RCPT over SMTP, 550): a config
// may take mail for Cyrus from local submission only. Cyrus listening on "lmtp" (port 24) or
// the callout statement under warn: agree.
// Ninth round (transport-spelling; 16 mutants): hosts = 0.0.0.0 was a false positive
// (link/lmtp-no-listener: Linux connects the unspecified address to loopback, and lmtpd on
// 127.0.0.1 took the mail); fixed. hosts = 127.0.0.1/32 and localhost/MX (looked up whole)
// are now exim/invalid-value, interface = ::1 (cut apart: '":1" is not a valid IP address')
// link/ipv6-colon-list. Left standing: LOCALHOST. (the resolver's), localhost.localdomain
// and ip6-localhost (not in this machine's /etc/hosts: names other than localhost are
// looked up on the machine that runs Exim, which a check elsewhere cannot know).
// Tenth round (list-typo, cyrus-spelling; 17 mutants): cyrus_domains = "example.com;
// example.org" (Exim takes "example.com" for a lookup type; the session ends unanswered)
// and "example.com." (matches no domain) had no rule: now exim/invalid-value warnings. A
// service program by a path that is not there (/usr/sbin/lmtpd: master exits 78) is now
// cyrus/unknown-program on this machine. prefork=-1 was an error, though master serves as
// with 0: now a warning. unixhierarchysep: On and virtdomains: USERID are imapd/invalid-value
// errors, and the program path a cyrus/unknown-program one, but when master does not start
// this harness has no files to check (ours: nothing), so every start-up failure counts as a
// miss here; cyrus-master.test.ts and the imapd.conf tests show them live.
// Eleventh round (list-lookup, acl-negation, acl-placement, lmtpd-config, transport-greeting;
// 42 mutants with acl-callout and acl-domains): cyrus_domains = lsearch;<missing file> and a
// missing file of items (the RCPT gets no answer) had no rule: exim/lookup-file-access now
// reports a list's file missing from a directory that is here, as it did an ACL file. The
// callout statement written without "!" (deny verify = recipient/callout: the mailbox Cyrus
// has gets 550, an unknown one 250) had only link/no-recipient-callout; now also
// exim/acl-verify-inverted. lmtpd's configdirectory missing (lmtpd resets every connection;
// Cyrus does not make it) is now imapd/directory-access where Cyrus is installed, and
// autocreate_post with autocreate_quota 0 (lmtpd makes a mailbox for anyone at RCPT, so the
// callout refuses no one) link/cyrus-autocreate-any-user. Left standing: partition-default
// missing for lmtpd only (here lmtpd and imapd read different imapd.conf files; CREATE makes a
// missing partition), lmtp_catchall_mailbox (a catch-all is a policy), and
// callout=postmaster/fullpostmaster as above.
// Twelfth round (router-lookup, transport-lookup, transport-expanded; 13 mutants): files the
// Cyrus router reads while verifying (local_parts lsearch, condition and address_data
// lookups: the RCPT dies, the router is passed by, or 451) and a lookup file in the LMTP
// transport's hosts (no callout, every delivery defers) had no rule: exim/lookup-file-access
// covers them now. transport = ${if ...{cyrus_ltcp}{cyrus_other}} with no cyrus_other (451
// for the addresses taking it) is now exim/undefined-transport. Left standing: local_parts =
// lsearch;<file with alice> (nobody@ goes on to /etc/aliases, as above).
// Thirteenth round (acl-style; 9 mutants): the callout in a sub-ACL, with endpass, with an
// inline list, an ${if}, a macro for its options, or a message: all agree. Left standing:
// defer !verify = recipient/callout (unknown users get 451 and are retried): a policy.
// Seed 48, every kind (370 mutants): no false positive. A manualroute router to 127.0.0.1
// with ignore_target_hosts = 127.0.0.0/8 (the host counts as not found: every callout 451,
// every message frozen) is now exim/invalid-value; the other misses are the classes above
// (configdirectory: /nonexistent/cyrus is in a directory that is not here, so unjudged).
// Fourteenth round (list-forms; 9 mutants): cyrus_domains as a regex with a bare "$" (the
// list is expanded when used: 451) and as a ${lookup} of a missing file (451) had no rule;
// now exim/expansion-syntax and exim/lookup-file-access. Left standing: *.example.com, which
// does not match example.com itself (a change of meaning: relay not permitted).
// Fifteenth round (imapd-paths, imapd-dbs; 16 mutants): lmtpd makes the directories of
// temp_path, proc_path, mboxname_lockpath, sievedir and the databases' own paths itself, and
// opens a database kept in another backend than imapd.conf names by detecting its format:
// 14 agree. Left standing: mboxlist_db_path naming a file not there (Cyrus makes an empty
// mailboxes.db and every recipient gets 550: pointing the option elsewhere means another
// mailbox list), and mboxlist_db: flat over a twoskip mailboxes.db (flat opens any file, so
// the format goes undetected and every recipient gets 550; but ctl_cyrusdb -r, which Debian's
// cyrus.conf runs in START, converts each database to its configured backend, and this
// harness runs no recovery).
// Sixteenth round (ipv6-off; 9 mutants): disable_ipv6 with lmtpd on [::1] and the transport's
// hosts = <; ::1 (Exim looks the address up as a name and fails: "failed to lookup IP address
// for ::1", every callout 451) had no rule: now exim/invalid-value, a warning (with an IPv4
// host after it Exim skips ::1 and delivers), and link/lmtp-no-listener counts localhost as
// 127.0.0.1 only while disable_ipv6 is set. The others agree (::1 in a ":" list is
// link/ipv6-colon-list's, [::1]:port link/callout-host-port's).
// Seventeenth round (lmtp-command; 12 mutants): an lmtp transport running Cyrus's deliver -l,
// as the Exim specification's LMTP example does, and its mistakes. Each agreed only through
// link/callout-needs-tcp before (a command is no callout target), hiding what really broke:
// deliver without -l under lmtp (every delivery defers: "421-4.3.0 usage"), lmtpd as the
// command (it exits outside master), a pipe to deliver -l (Exim logs "=>" and the message is
// lost), a pipe after the default "From " message_prefix (every message bounces: "invalid
// header", 65) are now link/deliver-command; deliver's imapd.conf that the transport's user
// may not read ("can't open configuration file") link/socket-permission, and an lmtp
// transport's deliver -l now has its lmtpsocket checked like a pipe's. This harness runs Exim
// as Debian-exim, which cannot take user = cyrus, so those mutants never deliver here:
// test/live/deliver-command-live.test.ts shows each case delivering or failing.
// What it touches: a Cyrus master per Cyrus-side mutant (one shared for Exim-side ones) in a
// temp dir on 127.0.0.1 high ports, Exim's spool and log in a temp dir per mutant, nothing
// else. lmtpd reads the (mutated) imapd.conf; imapd, which counts the mail, reads an
// unmutated copy, so a mutation of imapd.conf changes only what lmtpd does.
import { loadBundled } from './bundle-core.mjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionReader } from './lib/options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = optionReader(argv);
const COUNT = opt('--count', undefined) === undefined ? undefined : Number(opt('--count'));
const SEED = Number(opt('--seed', '1'));
const KIND = opt('--kind', '');
const REPORT = path.resolve(opt('--report', path.join(root, 'test-artifacts', 'mutate-link-report.txt')));
const VERBOSE = argv.includes('--verbose');
const EXIM = '/usr/sbin/exim4';

const bail = (why) => { console.log(`mutate-link: ${why}: nothing compared.`); process.exit(0); };
if ((COUNT !== undefined && (!Number.isInteger(COUNT) || COUNT < 0)) || !Number.isInteger(SEED)) {
  console.error('usage: mutate-link.mjs [--count N] [--seed S] [--kind NAME] [--report FILE] [--verbose]'); process.exit(2);
}
try { fs.accessSync(EXIM, fs.constants.X_OK); } catch { bail(`Exim is not installed (${EXIM} missing)`); }
if (process.platform !== 'linux' || process.getuid?.() !== 0) bail('run as root on Linux (Exim drops privileges for -C otherwise)');
if (spawnSync('id', ['Debian-exim']).status !== 0) bail('there is no Debian-exim user');

// ---- the core and the live harness, bundled for this process ----------------------------------
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-linkmut-'));
fs.chmodSync(scratch, 0o755);
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
const core = await loadBundled(root, `export { checkProject } from './server/src/core/project';
export { defaultOptions } from './server/src/core/options';
export { cyrusMissingReason, freePort, startCyrus } from './test/live/harness/cyrus';`);
{ const why = core.cyrusMissingReason(); if (why) bail(why); }

const REFERENCE = fs.readFileSync(path.join(root, 'examples/reference/exim.conf'), 'utf8');
const ALICE = 'alice@example.com', NOBODY = 'nobody@example.com';
const MAILBOXES = { own: `user/${ALICE}`, bare: 'user/alice' };

// ---- seeded order -----------------------------------------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

// ---- the mutations ----------------------------------------------------------------------------
// Each: kind, what, and edits: exim(text, env) after the base edit (port = the trusted lmtpd),
// cyrus(text, env) on the harness's cyrus.conf, imapd(text, env) on lmtpd's imapd.conf.
// env: { ports: {trusted, auth, free}, dir (Cyrus's temp dir), sock (lmtpd's UNIX socket),
// password (Cyrus's admin's, for a client authenticator) }.
const must = (t, from, to) => { const r = t.replace(from, to); if (r === t) throw new Error(`mutation did not apply: ${from}`); return r; };
const transportBlock = /cyrus_ltcp:\n(?: {2}.*\n)+/;
const setPort = (p) => (t) => must(t, /  port = \d+\n/, `  port = ${p}\n`);
const listenOf = (svc) => new RegExp(`(  ${svc}\\s+cmd="[^"]*" listen=")[^"]*(")`);

const MUTATIONS = [];
const add = (kind, what, edits) => MUTATIONS.push({ kind, what, ...edits });

// Transport: where it connects.
add('transport-port', 'port = the lmtpd without -a', { exim: (t, e) => setPort(e.ports.auth)(t) });
add('transport-port', 'port = a port nothing listens on', { exim: (t, e) => setPort(e.ports.free)(t) });
add('transport-port', 'port = lmtp (service name)', { exim: setPort('lmtp') });
add('transport-port', 'port removed (Exim\'s default for lmtp)', { exim: (t) => must(t, /  port = \d+\n/, '') });
for (const h of ['127.0.0.1', '::1', '127.0.0.2', '<; 127.0.0.1 ; ::1', '<; ::1 ; 127.0.0.1']) {
  add('transport-destination', `hosts = ${h}`, { exim: (t) => must(t, '  hosts = localhost\n', `  hosts = ${h}\n`) });
}
add('transport-destination', 'hosts = 127.0.0.1::<lmtpd without -a>', { exim: (t, e) => must(t, '  hosts = localhost\n', `  hosts = 127.0.0.1::${e.ports.auth}\n`) });
add('transport-destination', 'hosts = 127.0.0.1::<trusted>, port = free', { exim: (t, e) => setPort(e.ports.free)(must(t, '  hosts = localhost\n', `  hosts = 127.0.0.1::${e.ports.trusted}\n`)) });
add('transport-destination', 'hosts = localhost::<lmtpd without -a> : localhost (fallback)', { exim: (t, e) => must(t, '  hosts = localhost\n', `  hosts = localhost::${e.ports.auth} : localhost\n`) });
add('transport-destination', 'hosts = 127.0.0.2 : 127.0.0.1', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = 127.0.0.2 : 127.0.0.1\n') });
add('transport-protocol', 'protocol removed (SMTP to lmtpd)', { exim: (t) => must(t, '  protocol = lmtp\n', '') });
add('transport-protocol', 'protocol = smtp', { exim: (t) => must(t, '  protocol = lmtp\n', '  protocol = smtp\n') });
add('transport-allow_localhost', 'allow_localhost removed', { exim: (t) => must(t, '  allow_localhost\n', '') });
add('transport-allow_localhost', 'allow_localhost removed, hosts = 127.0.0.1', { exim: (t) => must(must(t, '  allow_localhost\n', ''), '  hosts = localhost\n', '  hosts = 127.0.0.1\n') });
add('transport-allow_localhost', 'no_allow_localhost', { exim: (t) => must(t, '  allow_localhost\n', '  no_allow_localhost\n') });
add('transport-gethostbyname', 'gethostbyname removed', { exim: (t) => must(t, '  gethostbyname\n', '') });
add('transport-gethostbyname', 'gethostbyname removed, hosts = 127.0.0.1', { exim: (t) => must(must(t, '  gethostbyname\n', ''), '  hosts = localhost\n', '  hosts = 127.0.0.1\n') });
for (const a of ['hosts_require_auth = *', 'hosts_try_auth = *', 'hosts_require_auth = 127.0.0.1', 'hosts_require_tls = *', 'hosts_try_fastopen = *']) {
  add('transport-auth', a, { exim: (t) => must(t, '  port = ', `  ${a}\n  port = `) });
}
add('transport-auth', 'hosts_require_auth = * with the lmtpd without -a', { exim: (t, e) => setPort(e.ports.auth)(must(t, '  port = ', '  hosts_require_auth = *\n  port = ')) });
// A PLAIN client authenticator (Cyrus's admin) and the transport's AUTH/TLS options, against
// what each lmtpd offers: -a only EXTERNAL; without -a PLAIN only while allowplaintext is on
// or over TLS, and only what sasl_mech_list lists.
const plainClient = (opts, p) => (t, e) => {
  const withOpts = must(t, '  port = ', `${opts.map((o) => `  ${o}\n`).join('')}  port = `);
  return (p ? setPort(e.ports[p])(withOpts) : withOpts) + `\ncyrus_plain:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^cyrus^${e.password}\n`;
};
add('transport-auth-client', 'PLAIN client, hosts_require_auth = * (lmtpd -a: EXTERNAL only)', { exim: plainClient(['hosts_require_auth = *']) });
add('transport-auth-client', 'PLAIN client, hosts_try_auth = * (lmtpd -a)', { exim: plainClient(['hosts_try_auth = *']) });
add('transport-auth-client', 'PLAIN client, hosts_require_auth = *, lmtpd without -a', { exim: plainClient(['hosts_require_auth = *'], 'auth') });
add('transport-auth-client', 'PLAIN client, hosts_try_auth = *, lmtpd without -a', { exim: plainClient(['hosts_try_auth = *'], 'auth') });
add('transport-auth-client', 'PLAIN client, hosts_require_auth and hosts_require_tls = *, lmtpd without -a', { exim: plainClient(['hosts_require_auth = *', 'hosts_require_tls = *'], 'auth') });
const imapdSet = (o) => (t) => { const k = o.split(':')[0]; return t.includes(`${k}:`) ? t.replace(new RegExp(`^${k}:.*$`, 'm'), o) : t + o + '\n'; };
for (const o of ['allowplaintext: no', 'lmtpauth_allowplaintext: no', 'lmtptrusted_allowplaintext: no', 'sasl_mech_list: LOGIN', 'lmtpauth_sasl_mech_list: CRAM-MD5', 'sasl_mech_list: plain']) {
  add('transport-auth-client', `PLAIN client, hosts_require_auth = *, lmtpd without -a, ${o}`, { exim: plainClient(['hosts_require_auth = *'], 'auth'), imapd: imapdSet(o) });
  add('transport-auth-client', `PLAIN client, hosts_try_auth = *, lmtpd without -a, ${o}`, { exim: plainClient(['hosts_try_auth = *'], 'auth'), imapd: imapdSet(o) });
}

// Routers.
for (const d of ['example.org', 'example.com', '+local_domains', '+cyrus_domains : localhost', '*.example.com', '! +local_domains']) {
  add('router-domains', `cyrus_vdom domains = ${d}`, { exim: (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', `  domains = ${d}\n  transport = cyrus_ltcp`) });
}
add('router-domains', 'cyrus_vdom without domains', { exim: (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', '  transport = cyrus_ltcp') });
const routerBlock = (name) => new RegExp(`(?:# .*\\n)*${name}:\\n(?: {2}.*\\n)+\\n`);
const moveRouterAfter = (name, after) => (t) => {
  const block = t.match(routerBlock(name))[0];
  const rest = t.replace(block, '');
  const target = rest.match(routerBlock(after))[0];
  return rest.replace(target, target + block);
};
add('router-order', 'cyrus_vdom after dnslookup', { exim: moveRouterAfter('cyrus_vdom', 'dnslookup') });
add('router-order', 'cyrus_vdom after system_aliases', { exim: moveRouterAfter('cyrus_vdom', 'system_aliases') });
add('router-order', 'cyrus_vdom last', { exim: moveRouterAfter('cyrus_vdom', 'localuser') });
add('router-order', 'cyrus_vdom after dnslookup, dnslookup domains = ! +local_domains', { exim: (t) => moveRouterAfter('cyrus_vdom', 'dnslookup')(must(t, '  domains = ! +local_domains : ! +cyrus_domains\n', '  domains = ! +local_domains\n')) });
add('router-no_more', 'no_more removed from cyrus_vdom', { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more\n', '  transport = cyrus_ltcp\n') });
add('router-no_more', 'dnslookup domains = ! +local_domains (takes the Cyrus domains)', { exim: (t) => must(t, '  domains = ! +local_domains : ! +cyrus_domains\n', '  domains = ! +local_domains\n') });
for (const tr of ['cyrus_lunix', 'remote_smtp', 'local_delivery', 'address_pipe']) {
  add('router-transport', `cyrus_vdom transport = ${tr}`, { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more', `  transport = ${tr}\n  no_more`) });
}

// A UNIX-socket lmtp transport instead, against Cyrus's lmtpunix socket.
const unixTransport = (socket, user = true) => (t) => must(t, transportBlock, `cyrus_ltcp:\n  driver = lmtp\n  socket = ${socket}\n${user ? '  user = cyrus\n' : ''}`);
add('unix-socket', 'lmtp transport on lmtpd\'s socket', { exim: (t, e) => unixTransport(e.sock)(t) });
add('unix-socket', 'lmtp transport on lmtpd\'s socket, no user', { exim: (t, e) => unixTransport(e.sock, false)(t) });
add('unix-socket', 'lmtp transport on a socket nothing listens on', { exim: (t, e) => unixTransport(e.sock + '2')(t) });
add('unix-socket', 'lmtp transport on smmapd\'s socket', { exim: (t, e) => unixTransport(path.join(path.dirname(e.sock), 'smmap'))(t) });
add('unix-socket', 'lmtp transport on lmtpd\'s socket written with //', { exim: (t, e) => unixTransport(e.sock.replace('/socket/', '//socket/'))(t) });
add('unix-socket', 'lmtp transport, lmtpunix moved', {
  exim: (t, e) => unixTransport(e.sock)(t),
  cyrus: (t, e) => must(t, listenOf('lmtpunix'), `$1${e.sock}-moved$2`),
});
add('unix-socket', 'lmtp transport on the moved lmtpunix path', {
  exim: (t, e) => unixTransport(e.sock + '-moved')(t),
  cyrus: (t, e) => must(t, listenOf('lmtpunix'), `$1${e.sock}-moved$2`),
});
add('unix-socket', 'lmtpunix with -a, lmtp transport on it', {
  exim: (t, e) => unixTransport(e.sock)(t),
  cyrus: (t) => must(t, /(  lmtpunix\s+cmd="lmtpd)/, '$1 -a'),
});

// A pipe to Cyrus's deliver: what Exim passes as the user against virtdomains.
const deliverTransport = (who) => (t, e) => must(t, transportBlock, `cyrus_ltcp:\n  driver = pipe\n  command = /usr/lib/cyrus/bin/deliver -C ${e.imapdConf} -- ${who}\n  user = cyrus\n  log_output\n  return_fail_output\n`);
add('deliver-pipe', 'deliver $local_part@$domain', { exim: deliverTransport('$local_part@$domain') });
add('deliver-pipe', 'deliver $local_part', { exim: deliverTransport('$local_part') });
add('deliver-pipe', 'deliver $local_part, virtdomains off', { exim: deliverTransport('$local_part'), imapd: (t) => must(t, 'virtdomains: userid', 'virtdomains: off') });
add('deliver-pipe', 'deliver $local_part@$domain, lmtpsocket moved', { exim: deliverTransport('$local_part@$domain'), imapd: (t) => must(t, /lmtpsocket: (.*)\n/, 'lmtpsocket: $1-moved\n') });

// Cyrus's lmtpd: -a, where it listens.
add('lmtpd-a', 'lmtpd -a removed (trusted service)', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd) -a/, '$1') });
add('lmtpd-a', '-a added to the lmtpd without it, transport there', { exim: (t, e) => setPort(e.ports.auth)(t), cyrus: (t) => must(t, /(  lmtpauth\s+cmd="lmtpd)/, '$1 -a') });
add('lmtpd-a', 'lmtpd -a written after -C', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd) -a (-C [^\s"]+)/, '$1 $2 -a') });
add('lmtpd-a', 'lmtpd -A (wrong flag)', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd) -a/, '$1 -A') });
add('lmtpd-listen', 'lmtptrusted on a free port', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1127.0.0.1:${e.ports.free}$2`) });
add('lmtpd-listen', 'lmtptrusted on localhost:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1localhost:${e.ports.trusted}$2`) });
add('lmtpd-listen', 'lmtptrusted on [::1]:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1[::1]:${e.ports.trusted}$2`) });
add('lmtpd-listen', 'lmtptrusted on 127.0.0.2:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1127.0.0.2:${e.ports.trusted}$2`) });
add('lmtpd-listen', 'lmtptrusted proto=tcp6', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*")/, '$1 proto=tcp6') });
add('lmtpd-listen', 'lmtptrusted proto=udp', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*")/, '$1 proto=udp') });
add('lmtpd-listen', 'lmtptrusted on [::1], hosts = ::1', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = ::1\n'), cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1[::1]:${e.ports.trusted}$2`) });
add('lmtpd-listen', 'lmtptrusted maxchild=0', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*")/, '$1 maxchild=0') });
add('lmtpd-listen', 'lmtptrusted cmd is imapd', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd=")lmtpd -a/, '$1imapd') });

// imapd.conf as lmtpd reads it.
for (const v of ['off', 'on']) add('imapd-virtdomains', `virtdomains: ${v}`, { imapd: (t) => must(t, 'virtdomains: userid', `virtdomains: ${v}`) });
add('imapd-virtdomains', 'lmtptrusted_virtdomains: off', { imapd: (t) => t + 'lmtptrusted_virtdomains: off\n' });
add('imapd-virtdomains', 'virtdomains: off, cyrus_domains = example.com', { imapd: (t) => must(t, 'virtdomains: userid', 'virtdomains: off'), exim: (t) => must(t, 'domainlist cyrus_domains = example.com : example.org', 'domainlist cyrus_domains = example.com') });
add('imapd-virtdomains', 'defaultdomain: example.com', { imapd: (t) => must(t, 'defaultdomain: localhost', 'defaultdomain: example.com') });
add('imapd-virtdomains', 'lmtp_downcase_rcpt: no, recipient Alice', { imapd: (t) => t + 'lmtp_downcase_rcpt: no\n' });

// The RCPT ACL's callout and its domains.
for (const v of ['recipient/callout', 'recipient/callout=5s', 'recipient/callout=no_cache', 'recipient/callout=random', 'recipient/callout=defer_ok',
  'recipient/callout=use_sender', 'recipient/callout=postmaster', 'recipient/callout=fullpostmaster', 'recipient/callout=use_postmaster', 'recipient/callout=10s,defer_ok', 'recipient']) {
  add('acl-callout', `verify = ${v}`, { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', `verify       = ${v}`) });
}
add('acl-callout', 'callout check removed', { exim: (t) => must(t, /  deny    domains       = \+cyrus_domains\n          !verify       = recipient\/callout=random,5s\n/, '') });
add('acl-callout', 'callout after accept domains = +cyrus_domains', {
  exim: (t) => must(must(t, /  deny    domains       = \+cyrus_domains\n          !verify       = recipient\/callout=random,5s\n/, ''),
    '  accept  domains       = +cyrus_domains\n', '  accept  domains       = +cyrus_domains\n\n  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n'),
});
for (const d of ['+local_domains', 'example.org', 'example.com', '*', '! +local_domains', '+cyrus_domains : example.net']) {
  add('acl-domains', `callout statement domains = ${d}`, { exim: (t) => must(t, '  deny    domains       = +cyrus_domains\n          !verify', `  deny    domains       = ${d}\n          !verify`) });
}
add('acl-domains', 'callout statement without domains', { exim: (t) => must(t, '  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n', '  deny    !verify       = recipient/callout=random,5s\n') });
add('acl-domains', 'accept domains = +local_domains', { exim: (t) => must(t, '  accept  domains       = +cyrus_domains\n', '  accept  domains       = +local_domains\n') });
for (const d of ['example.com', 'example.org', 'example.com : example.org : example.net', 'example.com : localhost']) {
  add('domainlist', `cyrus_domains = ${d}`, { exim: (t) => must(t, 'domainlist cyrus_domains = example.com : example.org', `domainlist cyrus_domains = ${d}`) });
}

// Added in the second round: options at the same linking points that real setups set.
const svcOpt = (svc, o) => (t) => must(t, new RegExp(`(  ${svc}\\s+cmd="[^"]*" listen="[^"]*")`), `$1 ${o}`);
add('cyrus-service', 'lmtptrusted proto=tcp4', { cyrus: svcOpt('lmtptrusted', 'proto=tcp4') });
add('cyrus-service', 'lmtptrusted proto=tcp6 on [::1]:<port>, hosts = ::1', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = ::1\n'), cyrus: (t, e) => svcOpt('lmtptrusted', 'proto=tcp6')(must(t, listenOf('lmtptrusted'), `$1[::1]:${e.ports.trusted}$2`)) });
add('cyrus-service', 'lmtptrusted proto=tcp4 on a bare port', { cyrus: (t, e) => svcOpt('lmtptrusted', 'proto=tcp4')(must(t, listenOf('lmtptrusted'), `$1${e.ports.trusted}$2`)) });
add('cyrus-service', 'lmtptrusted on a bare port', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1${e.ports.trusted}$2`) });
add('cyrus-service', 'lmtptrusted on 0.0.0.0:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$10.0.0.0:${e.ports.trusted}$2`) });
add('cyrus-service', 'lmtptrusted on *:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1*:${e.ports.trusted}$2`) });
add('cyrus-service', 'lmtptrusted on [127.0.0.1]:<port>', { cyrus: (t, e) => must(t, listenOf('lmtptrusted'), `$1[127.0.0.1]:${e.ports.trusted}$2`) });
add('cyrus-service', 'lmtptrusted prefork=1', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*") prefork=0/, '$1 prefork=1') });
add('cyrus-service', 'lmtptrusted maxchild=1', { cyrus: svcOpt('lmtptrusted', 'maxchild=1') });
add('cyrus-service', 'lmtptrusted renamed lmtp', { cyrus: (t) => must(t, /  lmtptrusted(\s+cmd=)/, '  lmtp$1') });
add('cyrus-service', 'lmtptrusted commented out', { cyrus: (t) => must(t, /  (lmtptrusted\s+cmd=)/, '#  $1') });
add('cyrus-service', 'lmtptrusted cmd with a full path', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd=")lmtpd/, '$1/usr/lib/cyrus/bin/lmtpd') });
add('cyrus-service', 'lmtptrusted cmd="lmtpd -a" reads the default imapd.conf', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd -a) -C [^\s"]+/, '$1') });
add('cyrus-service', 'lmtptrusted and lmtpauth swap ports', { cyrus: (t, e) => must(must(must(t, listenOf('lmtptrusted'), '$1XX$2'), listenOf('lmtpauth'), `$1127.0.0.1:${e.ports.trusted}$2`), /(  lmtptrusted\s+cmd="[^"]*" listen=")XX(")/, `$1127.0.0.1:${e.ports.auth}$2`) });
for (const o of ['unixhierarchysep: no', 'lmtp_fuzzy_mailbox_match: yes', 'lmtp_over_quota_perm_failure: yes', 'allowplaintext: no', 'lmtp_strict_rfc2821: no', 'lmtp_downcase_rcpt: yes', 'admins: nobody', 'lmtp_admins: cyrus']) {
  add('imapd-option', o, { imapd: (t) => { const k = o.split(':')[0]; return t.includes(`${k}:`) ? t.replace(new RegExp(`^${k}:.*$`, 'm'), o) : t + o + '\n'; } });
}
add('imapd-option', 'virtdomains: on, defaultdomain: example.com', { imapd: (t) => must(must(t, 'virtdomains: userid', 'virtdomains: on'), 'defaultdomain: localhost', 'defaultdomain: example.com') });
const onTransport = (line) => (t) => must(t, '  port = ', `  ${line}\n  port = `);
for (const o of ['rcpt_include_affixes', 'batch_max = 10', 'max_rcpt = 1', 'hosts_avoid_esmtp = *', 'hosts_avoid_pipelining = *', 'headers_remove = Subject', 'return_path = bounces@example.net',
  'hosts_override', 'hosts_randomize', 'helo_data = cyrus.example.com', 'lmtp_ignore_quota', 'multi_domain = false', 'dns_qualify_single = false', 'connect_timeout = 1s', 'interface = 127.0.0.1', 'port = 2003', 'hosts_avoid_tls = *']) {
  add('transport-option', o, { exim: o === 'port = 2003' ? (t) => must(t, /  port = \d+\n/, '  port = 2003\n') : onTransport(o) });
}
add('transport-option', 'hosts = LOCALHOST', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = LOCALHOST\n') });
add('transport-option', 'hosts = localhost.', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = localhost.\n') });
add('transport-option', 'hosts = ${if eq{1}{1}{localhost}{127.0.0.2}}', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = ${if eq{1}{1}{localhost}{127.0.0.2}}\n') });
add('transport-option', 'hosts = ${if eq{1}{1}{127.0.0.2}{localhost}}', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = ${if eq{1}{1}{127.0.0.2}{localhost}}\n') });
const onRouter = (line) => (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', `  domains = +cyrus_domains\n  ${line}\n  transport = cyrus_ltcp`);
for (const o of ['local_part_suffix = +*', 'local_part_suffix = +*\n  local_part_suffix_optional', 'local_part_prefix = cyrus-\n  local_part_prefix_optional', 'caseful_local_part', 'local_parts = alice',
  'local_parts = ! nobody', 'no_verify', 'verify_recipient = false', 'verify_only', 'no_verify_only', 'unseen', 'condition = ${if eq{$local_part}{alice}}', 'condition = false', 'address_data = x',
  'headers_remove = Subject', 'errors_to = postmaster@example.net', 'check_local_user', 'fail_verify', 'pass_router = dnslookup', 'self = fail', 'local_part_suffix = -*']) {
  add('router-option', `cyrus_vdom ${o.replace('\n  ', ', ')}`, { exim: onRouter(o) });
}
add('router-option', 'cyrus_vdom domains = example.com : example.org (literal)', { exim: (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', '  domains = example.com : example.org\n  transport = cyrus_ltcp') });
add('router-option', 'cyrus_vdom domains = example.com : example.org, cyrus_domains = example.com', { exim: (t) => must(must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', '  domains = example.com : example.org\n  transport = cyrus_ltcp'), 'domainlist cyrus_domains = example.com : example.org', 'domainlist cyrus_domains = example.com') });
add('router-option', 'cyrus_vdom domains = example.org (literal, not example.com)', { exim: (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', '  domains = example.org : example.net\n  transport = cyrus_ltcp') });
const manual = (routeList, extra = '') => (t) => must(t, /cyrus_vdom:\n  driver = accept\n/, `cyrus_vdom:\n  driver = manualroute\n  route_list = ${routeList}\n${extra}`);
add('router-manualroute', 'cyrus_vdom manualroute * localhost byname', { exim: manual('* localhost byname', '  self = send\n') });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1', { exim: manual('* 127.0.0.1', '  self = send\n') });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.2', { exim: manual('* 127.0.0.2', '  self = send\n') });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1, no self', { exim: manual('* 127.0.0.1') });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1, allow_localhost removed', { exim: (t) => manual('* 127.0.0.1', '  self = send\n')(must(t, '  allow_localhost\n', '')) });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.2, allow_localhost removed', { exim: (t) => manual('* 127.0.0.2', '  self = send\n')(must(t, '  allow_localhost\n', '')) });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1::<lmtpd without -a>', { exim: (t, e) => manual(`* 127.0.0.1::${e.ports.auth}`, '  self = send\n')(t) });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1::<free>, transport hosts_override', { exim: (t, e) => onTransport('hosts_override')(manual(`* 127.0.0.1::${e.ports.free}`, '  self = send\n')(t)) });
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1::<free>', { exim: (t, e) => manual(`* 127.0.0.1::${e.ports.free}`, '  self = send\n')(t) });
// Added in the third round: SMTP (not LMTP) to lmtpd at hosts a manualroute router gives,
// and host::port written in the router's list rather than the transport's hosts.
const noLmtp = (t) => must(t, '  protocol = lmtp\n', '');
add('manualroute-smtp', 'cyrus_vdom manualroute * 127.0.0.1, protocol removed, transport hosts removed', { exim: (t) => manual('* 127.0.0.1', '  self = send\n')(must(noLmtp(t), '  hosts = localhost\n', '')) });
add('manualroute-smtp', 'cyrus_vdom manualroute * 127.0.0.1, protocol removed, transport hosts = 127.0.0.2', { exim: (t) => manual('* 127.0.0.1', '  self = send\n')(must(noLmtp(t), '  hosts = localhost\n', '  hosts = 127.0.0.2\n')) });
add('manualroute-smtp', 'cyrus_vdom manualroute * localhost byname, protocol = smtp, transport hosts removed', { exim: (t) => manual('* localhost byname', '  self = send\n')(must(must(t, '  protocol = lmtp\n', '  protocol = smtp\n'), '  hosts = localhost\n', '')) });
add('manualroute-smtp', 'cyrus_vdom manualroute route_data = 127.0.0.1, protocol removed, transport hosts removed', { exim: (t) => must(must(noLmtp(t), '  hosts = localhost\n', ''), /cyrus_vdom:\n  driver = accept\n/, 'cyrus_vdom:\n  driver = manualroute\n  route_data = 127.0.0.1\n  self = send\n') });
add('manualroute-smtp', 'cyrus_vdom manualroute * 127.0.0.2, protocol removed, transport hosts_override', { exim: (t) => onTransport('hosts_override')(manual('* 127.0.0.2', '  self = send\n')(noLmtp(t))) });
add('route-list-port', 'cyrus_vdom manualroute * 127.0.0.1::<trusted>, port = free', { exim: (t, e) => setPort(e.ports.free)(manual(`* 127.0.0.1::${e.ports.trusted}`, '  self = send\n')(t)) });
add('route-list-port', 'cyrus_vdom manualroute * 127.0.0.1::<trusted>, transport hosts removed', { exim: (t, e) => manual(`* 127.0.0.1::${e.ports.trusted}`, '  self = send\n')(must(t, '  hosts = localhost\n', '')) });
add('route-list-port', 'cyrus_vdom manualroute * localhost::<trusted> byname', { exim: (t, e) => manual(`* localhost::${e.ports.trusted} byname`, '  self = send\n')(t) });
add('route-list-port', 'cyrus_vdom manualroute * "127.0.0.2 : 127.0.0.1::<trusted>"', { exim: (t, e) => manual(`* "127.0.0.2 : 127.0.0.1::${e.ports.trusted}"`, '  self = send\n')(t) });
add('route-list-port', 'cyrus_vdom manualroute route_data = 127.0.0.1::<trusted>, port = free', { exim: (t, e) => setPort(e.ports.free)(must(t, /cyrus_vdom:\n  driver = accept\n/, `cyrus_vdom:\n  driver = manualroute\n  route_data = 127.0.0.1::${e.ports.trusted}\n  self = send\n`)) });
add('route-list-port', 'cyrus_vdom manualroute * 127.0.0.2, transport hosts = 127.0.0.1::<trusted> with hosts_override, port = free', { exim: (t, e) => onTransport('hosts_override')(setPort(e.ports.free)(manual('* 127.0.0.2', '  self = send\n')(must(t, '  hosts = localhost\n', `  hosts = 127.0.0.1::${e.ports.trusted}\n`)))) });
add('route-list-port', 'cyrus_vdom manualroute * 127.0.0.1::<trusted>, transport hosts_override', { exim: (t, e) => onTransport('hosts_override')(manual(`* 127.0.0.1::${e.ports.trusted}`, '  self = send\n')(t)) });
// Added in the fourth round: unseen on the Cyrus router, with what mends it or changes it.
const unseenWith = (after = '') => (t) => after ? must(onRouter('unseen')(t), '  transport = cyrus_ltcp\n  no_more\n', `  transport = cyrus_ltcp\n  no_more\n${after}`) : onRouter('unseen')(t);
add('router-unseen', 'cyrus_vdom unseen, a later router for the Cyrus domains', { exim: unseenWith('\ncopies:\n  driver = accept\n  domains = +cyrus_domains\n  transport = local_delivery\n') });
add('router-unseen', 'cyrus_vdom unseen, a verify_only Cyrus router after it', { exim: unseenWith('\ncyrus_verify:\n  driver = accept\n  domains = +cyrus_domains\n  verify_only\n  transport = cyrus_ltcp\n') });
add('router-unseen', 'cyrus_vdom unseen, callout with success_on_redirect', { exim: (t) => must(unseenWith()(t), 'verify       = recipient/callout=random,5s', 'verify       = recipient/success_on_redirect/callout=random,5s') });
add('router-unseen', 'cyrus_vdom unseen, verify = recipient without a callout', { exim: (t) => must(unseenWith()(t), 'verify       = recipient/callout=random,5s', 'verify       = recipient') });
add('router-unseen', 'cyrus_vdom unseen and no_verify', { exim: onRouter('unseen\n  no_verify') });
add('router-unseen', 'cyrus_vdom unseen = ${if eq{$local_part}{alice}{yes}{no}}', { exim: onRouter('unseen = ${if eq{$local_part}{alice}{yes}{no}}') });
add('callout-option', 'verify = recipient/callout=random,5s,use_sender', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=random,5s,use_sender') });
add('callout-option', 'callout_random_local_part = alice', { exim: (t) => must(t, 'never_users = root\n', 'never_users = root\ncallout_random_local_part = alice\n') });
add('callout-option', 'verify = recipient/callout=5s,random,no_cache', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=5s,random,no_cache') });
add('callout-option', 'verify = recipient/callout=1s;2s', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=1s,connect=2s') });
add('callout-option', 'verify = recipient/callout=random,5s,hold', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=random,5s,hold') });
add('callout-option', 'verify = recipient/callout=random,5s,pm', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=random,5s,pm') });
add('callout-option', 'verify = recipient/defer_ok/callout=random,5s', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/defer_ok/callout=random,5s') });
add('callout-option', 'verify = recipient / callout=random,5s (spaces)', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient / callout=random,5s') });
// Added in the sixth round: the limits and timeouts real setups put on the LMTP transport,
// on lmtpd's service and in imapd.conf; most should change nothing.
for (const o of ['max_rcpt = 0', 'command_timeout = 0s', 'connect_timeout = 0s', 'data_timeout = 0s', 'size_addition = 1G', 'tls_tempfail_tryclear = false',
  'serialize_hosts = *', 'hosts_max_try = 1', 'retry_include_ip_address = false', 'hosts_try_chunking = *', 'hosts_try_prdr = *', 'message_size_limit = 100']) {
  add('transport-limits', o, { exim: onTransport(o) });
}
add('transport-limits', 'port = 24', { exim: setPort(24) });
add('transport-limits', 'port = lmtp', { exim: (t) => must(t, /  port = \d+\n/, '  port = lmtp\n') });
add('transport-limits', 'hosts = localhost : 127.0.0.2', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = localhost : 127.0.0.2\n') });
for (const o of ['babysit=1', 'maxforkrate=1', 'maxfds=16', 'maxchild=2', 'prefork=5']) {
  add('cyrus-service-limits', `lmtptrusted ${o}`, { cyrus: o.startsWith('prefork') ? (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*") prefork=0/, `$1 ${o}`) : svcOpt('lmtptrusted', o) });
}
for (const o of ['maxmessagesize: 100', 'lmtptrusted_maxmessagesize: 100', 'lmtpauth_maxmessagesize: 100', 'lmtp_strict_quota: yes', 'lmtptrusted_virtdomains: userid', 'quota_db: twoskip']) {
  add('imapd-limits', o, { imapd: imapdSet(o) });
}
// Added in the seventh round: options copied onto the Cyrus router or transport from the
// dnslookup router and remote_smtp transport beside them (DNS, DANE, DKIM, TLS, filters),
// and callout timings.
for (const o of ['ignore_target_hosts = 0.0.0.0 : 127.0.0.0/8', 'ignore_target_hosts = <; 0.0.0.0 ; 127.0.0.0/8 ; ::1', 'require_files = /nonexistent/cyrus', 'same_domain_copy_routing',
  'retry_use_local_part', 'senders = ! :']) {
  add('router-copied', `cyrus_vdom ${o}`, { exim: onRouter(o) });
}
for (const o of ['hosts_require_dane = *', 'hosts_try_dane = *', 'dnssec_request_domains = *', 'dnssec_require_domains = *', 'hosts_require_ocsp = *', 'tls_verify_hosts = *',
  'tls_verify_certificates = /etc/ssl/certs/ca-certificates.crt', 'dkim_domain = example.com\n  dkim_selector = s1\n  dkim_private_key = /nonexistent/dkim.pem',
  'dkim_domain = example.com\n  dkim_selector = s1\n  dkim_private_key = /nonexistent/dkim.pem\n  dkim_strict = true', 'transport_filter = /bin/cat', 'headers_add = X-Cyrus: yes',
  'message_linelength_limit = 50', 'socks_proxy = 127.0.0.1 port=1', 'hosts_try_fastopen = *', 'hosts_nopass_tls = *', 'user = cyrus']) {
  add('transport-copied', o.replaceAll('\n  ', ', '), { exim: onTransport(o) });
}
// Added in the eighth round: how the Cyrus host and port are written, and the RCPT ACL itself.
add('transport-hosts', 'hosts = +cyrus_hosts, hostlist cyrus_hosts = localhost', { exim: (t) => must(must(t, '  hosts = localhost\n', '  hosts = +cyrus_hosts\n'), 'hostlist   relay_from_hosts', 'hostlist   cyrus_hosts = localhost\nhostlist   relay_from_hosts') });
add('transport-hosts', 'hosts = localhost : 127.0.0.1', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = localhost : 127.0.0.1\n') });
add('transport-hosts', 'hosts = "localhost"', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = "localhost"\n') });
add('transport-hosts', 'hosts = localhost, 127.0.0.1', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = localhost, 127.0.0.1\n') });
add('transport-hosts', 'hosts = [127.0.0.1]', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = [127.0.0.1]\n') });
add('transport-hosts', 'port as hex', { exim: (t, e) => setPort(`0x${e.ports.trusted.toString(16)}`)(t) });
add('transport-hosts', 'port with a leading 0', { exim: (t, e) => setPort(`0${e.ports.trusted}`)(t) });
add('transport-hosts', 'port = "<port>"', { exim: (t, e) => setPort(`"${e.ports.trusted}"`)(t) });
// Added in the ninth round: more ways of writing the Cyrus host, port, protocol and source.
for (const h of ['localhost:2003', '127.1', '127.0.0.1/32', '0.0.0.0', 'localhost/MX', 'LOCALHOST.', 'localhost ', 'ip6-localhost', 'localhost.localdomain']) {
  add('transport-spelling', `hosts = ${h}`, { exim: (t) => must(t, '  hosts = localhost\n', `  hosts = ${h}\n`) });
}
for (const o of ['interface = ::1', 'interface = 127.0.0.2', 'interface = 0.0.0.0', 'protocol = LMTP', 'protocol = Lmtp']) {
  add('transport-spelling', o, { exim: o.startsWith('protocol') ? (t) => must(t, '  protocol = lmtp\n', `  ${o}\n`) : onTransport(o) });
}
add('transport-spelling', 'driver = SMTP', { exim: (t) => must(t, 'cyrus_ltcp:\n  driver = smtp\n', 'cyrus_ltcp:\n  driver = SMTP\n') });
add('transport-spelling', 'port = " 2003"-style trailing space', { exim: (t, e) => setPort(`${e.ports.trusted} `)(t) });
// Added in the tenth round: named lists written without their "+", and the Cyrus domain list
// written with other separators; lmtpd's command and imapd.conf values in other spellings.
add('list-typo', 'callout statement domains = cyrus_domains (no +)', { exim: (t) => must(t, '  deny    domains       = +cyrus_domains\n          !verify', '  deny    domains       = cyrus_domains\n          !verify') });
add('list-typo', 'accept domains = cyrus_domains (no +)', { exim: (t) => must(t, '  accept  domains       = +cyrus_domains\n', '  accept  domains       = cyrus_domains\n') });
add('list-typo', 'cyrus_vdom domains = cyrus_domains (no +)', { exim: (t) => must(t, '  domains = +cyrus_domains\n  transport = cyrus_ltcp', '  domains = cyrus_domains\n  transport = cyrus_ltcp') });
for (const v of ['example.com; example.org', 'example.com example.org', '"example.com : example.org"', 'example.com, example.org', 'example.com. : example.org', 'EXAMPLE.COM : example.org', 'example.com:example.org']) {
  add('list-typo', `cyrus_domains = ${v}`, { exim: (t) => must(t, 'domainlist cyrus_domains = example.com : example.org', `domainlist cyrus_domains = ${v}`) });
}
add('cyrus-spelling', 'lmtptrusted cmd with /usr/sbin/lmtpd', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd=")lmtpd/, '$1/usr/sbin/lmtpd') });
add('cyrus-spelling', 'lmtptrusted prefork=-1', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*") prefork=0/, '$1 prefork=-1') });
add('cyrus-spelling', 'lmtptrusted listen with a trailing space', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="[^"]*" listen="[^"]*)"/, '$1 "') });
for (const o of ['virtdomains: USERID', 'defaultdomain: LOCALHOST', 'lmtp_downcase_rcpt: 1', 'unixhierarchysep: On']) {
  add('cyrus-spelling', o, { imapd: imapdSet(o) });
}
add('cyrus-listen-name', 'lmtptrusted listen="lmtp" (port 24)', { cyrus: (t) => must(t, listenOf('lmtptrusted'), '$1lmtp$2') });
add('cyrus-listen-name', 'lmtptrusted listen="127.0.0.1:lmtp" (port 24)', { cyrus: (t) => must(t, listenOf('lmtptrusted'), '$1127.0.0.1:lmtp$2') });
add('rcpt-acl', 'acl_smtp_rcpt removed', { exim: (t) => must(t, 'acl_smtp_rcpt = acl_check_rcpt\n', '') });
add('rcpt-acl', 'callout statement under warn', { exim: (t) => must(t, '  deny    domains       = +cyrus_domains\n          !verify', '  warn    domains       = +cyrus_domains\n          !verify') });
add('rcpt-acl', 'accept domains = +cyrus_domains before require verify = sender', { exim: (t) => must(must(t, '  accept  domains       = +cyrus_domains\n', ''), '  require verify        = sender\n', '  accept  domains       = +cyrus_domains\n  require verify        = sender\n') });
add('rcpt-acl', 'callout statement with verify = recipient/callout=random,5s/defer_ok', { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/defer_ok/callout=random,5s') });
for (const v of ['recipient/callout=random,0s', 'recipient/callout=random,5s,maxwait=1s', 'recipient/callout=random,connect=0s', 'recipient/callout=random,1s,connect=5s']) {
  add('callout-timing', `verify = ${v}`, { exim: (t) => must(t, 'verify       = recipient/callout=random,5s', `verify       = ${v}`) });
}

// Added in the eleventh round: the Cyrus domains read from a file, the callout statement's
// negation and place, lmtpd's own configuration, and how the transport greets lmtpd.
const listFile = (name, body, mode = 0o644) => { const f = path.join(scratch, name); if (body !== undefined) { fs.writeFileSync(f, body); fs.chmodSync(f, mode); } return f; };
const cyrusDomains = (v) => (t) => must(t, 'domainlist cyrus_domains = example.com : example.org', `domainlist cyrus_domains = ${v}`);
add('list-lookup', 'cyrus_domains = lsearch;<file with both domains>', { exim: (t) => cyrusDomains(`lsearch;${listFile('domains-ok', 'example.com\nexample.org\n')}`)(t) });
add('list-lookup', 'cyrus_domains = lsearch;<missing file>', { exim: (t) => cyrusDomains(`lsearch;${listFile('domains-missing')}`)(t) });
add('list-lookup', 'cyrus_domains = lsearch;<file only root can read>', { exim: (t) => cyrusDomains(`lsearch;${listFile('domains-root', 'example.com\nexample.org\n', 0o600)}`)(t) });
add('list-lookup', 'cyrus_domains = <file of items>', { exim: (t) => cyrusDomains(listFile('domains-items', 'example.com\nexample.org\n'))(t) });
add('list-lookup', 'cyrus_domains = <missing file of items>', { exim: (t) => cyrusDomains(listFile('domains-items-missing'))(t) });
add('list-lookup', 'cyrus_domains = dsearch;<dir with both domains>', { exim: (t) => { const d = path.join(scratch, 'domains-dir'); fs.mkdirSync(d, { recursive: true }); for (const x of ['example.com', 'example.org']) fs.writeFileSync(path.join(d, x), ''); fs.chmodSync(d, 0o755); return cyrusDomains(`dsearch;${d}`)(t); } });
add('list-lookup', 'cyrus_domains = lsearch;<file with "example.com: x" lines>', { exim: (t) => cyrusDomains(`lsearch;${listFile('domains-colon', 'example.com: cyrus\nexample.org: cyrus\n')}`)(t) });
add('list-lookup', 'cyrus_domains = lsearch;<relative path>', { exim: cyrusDomains('lsearch;cyrus_domains') });
const calloutStmt = '  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n';
add('acl-negation', 'callout statement without "!" (deny verify = recipient/callout)', { exim: (t) => must(t, calloutStmt, '  deny    domains       = +cyrus_domains\n          verify       = recipient/callout=random,5s\n') });
add('acl-negation', 'callout statement domains = ! +cyrus_domains', { exim: (t) => must(t, calloutStmt, '  deny    domains       = ! +cyrus_domains\n          !verify       = recipient/callout=random,5s\n') });
add('acl-negation', 'callout statement under require with "!"', { exim: (t) => must(t, calloutStmt, '  require domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n') });
add('acl-negation', 'callout statement as accept verify = recipient/callout', { exim: (t) => must(t, calloutStmt, '  accept  domains       = +cyrus_domains\n          verify       = recipient/callout=random,5s\n') });
add('acl-placement', 'callout statement moved to the DATA ACL', { exim: (t) => must(must(t, calloutStmt, ''), 'acl_check_data:\n  accept\n', `acl_check_data:\n${calloutStmt}  accept\n`) });
add('acl-placement', 'acl_smtp_rcpt = acl_check_data', { exim: (t) => must(t, 'acl_smtp_rcpt = acl_check_rcpt\n', 'acl_smtp_rcpt = acl_check_data\n') });
add('acl-placement', 'acl_smtp_rcpt set twice, the second to acl_check_data', { exim: (t) => must(t, 'acl_smtp_rcpt = acl_check_rcpt\n', 'acl_smtp_rcpt = acl_check_rcpt\nacl_smtp_rcpt = acl_check_data\n') });
add('acl-placement', 'callout statement moved to the MAIL ACL', { exim: (t) => must(must(must(t, calloutStmt, ''), 'acl_smtp_data = acl_check_data\n', 'acl_smtp_data = acl_check_data\nacl_smtp_mail = acl_check_mail\n'), 'acl_check_data:\n  accept\n', `acl_check_data:\n  accept\n\nacl_check_mail:\n${calloutStmt}  accept\n`) });
add('lmtpd-config', 'lmtptrusted -C names a missing imapd.conf', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd -a -C )[^\s"]+/, '$1/nonexistent/imapd.conf') });
add('lmtpd-config', 'configdirectory: a missing directory (lmtpd\'s imapd.conf)', { imapd: (t) => must(t, /^configdirectory:.*$/m, 'configdirectory: /nonexistent/cyrus') });
add('lmtpd-config', 'autocreate_post: yes, autocreate_quota: 0', { imapd: (t) => imapdSet('autocreate_quota: 0')(imapdSet('autocreate_post: yes')(t)) });
add('lmtpd-config', 'lmtp_catchall_mailbox: alice@example.com', { imapd: imapdSet('lmtp_catchall_mailbox: alice@example.com') });
add('lmtpd-config', 'partition-default: a missing directory', { imapd: (t) => must(t, /^partition-default:.*$/m, 'partition-default: /nonexistent/spool') });
add('lmtpd-config', 'lmtpd -a -D (debug flag)', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd -a)/, '$1 -D') });
add('lmtpd-config', 'lmtpd -a -x (unknown flag)', { cyrus: (t) => must(t, /(  lmtptrusted\s+cmd="lmtpd -a)/, '$1 -x') });
for (const o of ['protocol = smtps', 'helo_data =', 'helo_data = cyrus host', 'hosts_require_tls = localhost', 'hosts_require_tls = 127.0.0.1', 'port = 2003\n  port = <trusted>']) {
  add('transport-greeting', o.replaceAll('\n  ', ', '), { exim: (t, e) => o.startsWith('protocol') ? must(t, '  protocol = lmtp\n', `  ${o}\n`) : o.startsWith('port') ? must(t, /  port = \d+\n/, `  port = 2003\n  port = ${e.ports.trusted}\n`) : onTransport(o)(t) });
}
add('router-manualroute', 'cyrus_vdom manualroute * 127.0.0.1, ignore_target_hosts = 127.0.0.0/8', { exim: manual('* 127.0.0.1', '  self = send\n  ignore_target_hosts = 127.0.0.0/8\n') });

// Added in the twelfth round: lookups the Cyrus router and transport make (verification at
// RCPT runs as the Exim user, delivery as root), and a transport chosen by an expansion.
const usersFile = (name, mode = 0o644) => listFile(name, 'alice\n', mode);
add('router-lookup', 'cyrus_vdom local_parts = lsearch;<file with alice>', { exim: (t) => onRouter(`local_parts = lsearch;${usersFile('users-ok')}`)(t) });
add('router-lookup', 'cyrus_vdom local_parts = lsearch;<missing file>', { exim: (t) => onRouter(`local_parts = lsearch;${listFile('users-missing')}`)(t) });
add('router-lookup', 'cyrus_vdom local_parts = lsearch;<file only root can read>', { exim: (t) => onRouter(`local_parts = lsearch;${usersFile('users-root', 0o600)}`)(t) });
add('router-lookup', 'cyrus_vdom condition = ${lookup{$local_part}lsearch{<missing file>}{yes}{no}}', { exim: (t) => onRouter(`condition = \${lookup{$local_part}lsearch{${listFile('users-missing2')}}{yes}{no}}`)(t) });
add('router-lookup', 'cyrus_vdom condition = ${lookup{$local_part}lsearch{<file only root can read>}{yes}{no}}', { exim: (t) => onRouter(`condition = \${lookup{$local_part}lsearch{${usersFile('users-root2', 0o600)}}{yes}{no}}`)(t) });
add('router-lookup', 'cyrus_vdom address_data = ${lookup{$local_part}lsearch{<missing file>}}', { exim: (t) => onRouter(`address_data = \${lookup{$local_part}lsearch{${listFile('users-missing3')}}}`)(t) });
add('transport-lookup', 'hosts = ${lookup{$domain}lsearch{<file: example.com localhost>}}', { exim: (t) => must(t, '  hosts = localhost\n', `  hosts = \${lookup{$domain}lsearch{${listFile('hosts-ok', 'example.com: localhost\nexample.org: localhost\n')}}}\n`) });
add('transport-lookup', 'hosts = ${lookup{$domain}lsearch{<missing file>}}', { exim: (t) => must(t, '  hosts = localhost\n', `  hosts = \${lookup{$domain}lsearch{${listFile('hosts-missing')}}}\n`) });
add('transport-lookup', 'hosts = ${lookup{$domain}lsearch{<file only root can read>}}', { exim: (t) => must(t, '  hosts = localhost\n', `  hosts = \${lookup{$domain}lsearch{${listFile('hosts-root', 'example.com: localhost\nexample.org: localhost\n', 0o600)}}}\n`) });
add('transport-expanded', 'cyrus_vdom transport = ${if eq{$domain}{example.com}{cyrus_ltcp}{cyrus_other}} (undefined)', { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more', '  transport = ${if eq{$domain}{example.org}{cyrus_ltcp}{cyrus_other}}\n  no_more') });
add('transport-expanded', 'cyrus_vdom transport = ${if eq{$domain}{example.com}{cyrus_ltcp}{remote_smtp}}', { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more', '  transport = ${if eq{$domain}{example.com}{cyrus_ltcp}{remote_smtp}}\n  no_more') });
add('transport-expanded', 'cyrus_vdom transport = ${lc:CYRUS_LTCP}', { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more', '  transport = ${lc:CYRUS_LTCP}\n  no_more') });
add('transport-expanded', 'cyrus_vdom transport = Cyrus_ltcp', { exim: (t) => must(t, '  transport = cyrus_ltcp\n  no_more', '  transport = Cyrus_ltcp\n  no_more') });

// Added in the thirteenth round: the callout statement in other styles real configs use.
add('acl-style', 'accept domains = +cyrus_domains, endpass, verify = recipient/callout (old style)', { exim: (t) => must(must(t, calloutStmt, ''), '  accept  domains       = +cyrus_domains\n', '  accept  domains       = +cyrus_domains\n          endpass\n          verify        = recipient/callout=random,5s\n') });
add('acl-style', 'callout statement in a sub-ACL (acl = check_cyrus)', { exim: (t) => must(must(t, calloutStmt, '  deny    domains       = +cyrus_domains\n          !acl          = check_cyrus\n'), 'acl_check_data:\n', 'check_cyrus:\n  accept  verify        = recipient/callout=random,5s\n\nacl_check_data:\n') });
add('acl-style', 'callout statement as require verify = recipient/callout (all domains)', { exim: (t) => must(t, calloutStmt, '  require verify        = recipient/callout=random,5s\n') });
add('acl-style', 'callout statement as defer !verify = recipient/callout', { exim: (t) => must(t, calloutStmt, '  defer   domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n') });
add('acl-style', 'callout statement with message and log_message', { exim: (t) => must(t, calloutStmt, calloutStmt + '          message       = No such mailbox here\n          log_message   = callout to Cyrus refused $local_part@$domain\n') });
add('acl-style', 'callout statement with the domain list inline', { exim: (t) => must(t, calloutStmt, '  deny    domains       = example.com : example.org\n          !verify       = recipient/callout=random,5s\n') });
add('acl-style', 'callout statement with ${if} in domains', { exim: (t) => must(t, calloutStmt, '  deny    condition     = ${if match_domain{$domain}{+cyrus_domains}}\n          !verify       = recipient/callout=random,5s\n') });
add('acl-style', 'callout options as a macro', { exim: (t) => must(must(t, 'verify       = recipient/callout=random,5s', 'verify       = recipient/callout=CALLOUT_OPTS'), 'primary_hostname = mail.example.com\n', 'primary_hostname = mail.example.com\nCALLOUT_OPTS = random,5s\n') });
add('acl-style', 'callout statement after accept hosts = +relay_from_hosts', { exim: (t) => must(must(t, calloutStmt, ''), '  accept  hosts         = +relay_from_hosts\n', calloutStmt + '\n  accept  hosts         = +relay_from_hosts\n') });

// Added in the fourteenth round: other ways of writing the Cyrus domain list.
add('list-forms', 'domainlist_cache cyrus_domains', { exim: (t) => must(t, 'domainlist cyrus_domains = ', 'domainlist_cache cyrus_domains = ') });
add('list-forms', 'cyrus_domains = <; example.com ; example.org', { exim: cyrusDomains('<; example.com ; example.org') });
add('list-forms', 'cyrus_domains = example.com : example.org : (empty item)', { exim: cyrusDomains('example.com : example.org :') });
add('list-forms', 'cyrus_domains = *.example.com : example.org', { exim: cyrusDomains('*.example.com : example.org') });
add('list-forms', 'cyrus_domains = ^example\\.(com|org)$', { exim: cyrusDomains('^example\\.(com|org)$') });
add('list-forms', 'cyrus_domains = ${lookup{$domain}lsearch{<file with both>}{$domain}}', { exim: (t) => cyrusDomains(`\${lookup{$domain}lsearch{${listFile('domains-exp', 'example.com: x\nexample.org: x\n')}}{$domain}}`)(t) });
add('list-forms', 'cyrus_domains = ${lookup{$domain}lsearch{<missing file>}{$domain}}', { exim: (t) => cyrusDomains(`\${lookup{$domain}lsearch{${listFile('domains-exp-missing')}}{$domain}}`)(t) });
add('list-forms', 'cyrus_domains = example.com : example.org, defined after its first use', { exim: (t) => must(t, 'domainlist local_domains = @ : localhost\ndomainlist cyrus_domains = example.com : example.org\n', 'domainlist local_domains = @ : localhost\n').replace('hostlist   relay_from_hosts', 'domainlist cyrus_domains = example.com : example.org\nhostlist   relay_from_hosts') });
add('list-forms', 'cyrus_domains in a macro', { exim: (t) => must(must(t, 'domainlist cyrus_domains = example.com : example.org', 'domainlist cyrus_domains = CYRUS_DOMAINS'), 'primary_hostname = mail.example.com\n', 'primary_hostname = mail.example.com\nCYRUS_DOMAINS = example.com : example.org\n') });

// Added in the fifteenth round: the paths and databases lmtpd uses while it delivers.
for (const [o, v] of [['temp_path', 'missing-tmp'], ['temp_path', '/root'], ['proc_path', 'missing-proc'], ['mboxname_lockpath', 'missing-lock'],
  ['duplicate_db_path', 'missing-dup/deliver.db'], ['sievedir', 'missing-sieve'], ['statuscache_db_path', 'missing-sc/statuscache.db'], ['ptscache_db_path', 'missing-pts/ptscache.db'],
  ['quota_db_path', 'missing-quota/quotas.db'], ['mboxlist_db_path', 'missing-mbl/mailboxes.db'], ['annotation_db_path', 'missing-ann/annotations.db']]) {
  add('imapd-paths', `${o}: ${v.startsWith('/') ? v : '<dir>/' + v}`, { imapd: (t, e) => imapdSet(`${o}: ${v.startsWith('/') ? v : path.join(e.dir, v)}`)(t) });
}
for (const o of ['mboxlist_db: skiplist', 'duplicate_db: skiplist', 'quota_db: skiplist', 'annotation_db: skiplist', 'mboxlist_db: flat']) {
  add('imapd-dbs', o, { imapd: imapdSet(o) });
}

// Added in the sixteenth round: Exim with IPv6 switched off, against lmtpd on IPv6 loopback.
const ipv6Off = (t) => must(t, 'never_users = root\n', 'never_users = root\ndisable_ipv6 = true\n');
const lmtpdOnV6 = (t, e) => must(t, listenOf('lmtptrusted'), `$1[::1]:${e.ports.trusted}$2`);
add('ipv6-off', 'disable_ipv6, lmtptrusted on [::1], hosts = ::1', { exim: (t) => ipv6Off(must(t, '  hosts = localhost\n', '  hosts = ::1\n')), cyrus: lmtpdOnV6 });
add('ipv6-off', 'disable_ipv6, lmtptrusted on [::1], hosts = <; 127.0.0.1 ; ::1', { exim: (t) => ipv6Off(must(t, '  hosts = localhost\n', '  hosts = <; 127.0.0.1 ; ::1\n')), cyrus: lmtpdOnV6 });
add('ipv6-off', 'disable_ipv6, lmtptrusted on [::1] proto=tcp6, hosts = ::1', { exim: (t) => ipv6Off(must(t, '  hosts = localhost\n', '  hosts = ::1\n')), cyrus: (t, e) => svcOpt('lmtptrusted', 'proto=tcp6')(lmtpdOnV6(t, e)) });
add('ipv6-off', 'disable_ipv6, lmtptrusted on [::1], hosts = <; ::1', { exim: (t) => ipv6Off(must(t, '  hosts = localhost\n', '  hosts = <; ::1\n')), cyrus: lmtpdOnV6 });
add('ipv6-off', 'lmtptrusted on [::1], hosts = <; ::1 (IPv6 on)', { exim: (t) => must(t, '  hosts = localhost\n', '  hosts = <; ::1\n'), cyrus: lmtpdOnV6 });
add('ipv6-off', 'disable_ipv6, hosts = <; ::1 ; 127.0.0.1', { exim: (t) => ipv6Off(must(t, '  hosts = localhost\n', '  hosts = <; ::1 ; 127.0.0.1\n')) });
add('ipv6-off', 'disable_ipv6, lmtptrusted on [::1], hosts = <; [::1]:<port>', { exim: (t, e) => ipv6Off(must(t, '  hosts = localhost\n', `  hosts = <; [::1]:${e.ports.trusted}\n`)), cyrus: lmtpdOnV6 });
add('ipv6-off', 'disable_ipv6 (lmtpd on 127.0.0.1)', { exim: ipv6Off });
add('ipv6-off', 'disable_ipv6, manualroute * ::1', { exim: (t) => ipv6Off(manual('* ::1', '  self = send\n')(t)), cyrus: lmtpdOnV6 });

// Added in the seventeenth round: an lmtp transport that runs Cyrus's deliver -l (LMTP on
// stdin and stdout, passed on to lmtpsocket) or lmtpd itself as its command.
const lmtpCommand = (cmd, extra = '  user = cyrus\n') => (t, e) => must(t, transportBlock, `cyrus_ltcp:\n  driver = lmtp\n  command = ${cmd(e)}\n${extra}`);
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, user Debian-exim', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`, '  user = Debian-exim\n') });
add('lmtp-command', 'lmtp command deliver -C <imapd.conf> (no -l), user Debian-exim', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -C ${e.imapdConf}`, '  user = Debian-exim\n') });
add('lmtp-command', 'lmtp command lmtpd -C <imapd.conf>, user Debian-exim', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/lmtpd -C ${e.imapdConf}`, '  user = Debian-exim\n') });
add('lmtp-command', 'pipe command deliver -l -C <imapd.conf> -- $local_part@$domain, user Debian-exim', { exim: (t, e) => must(t, transportBlock, `cyrus_ltcp:\n  driver = pipe\n  command = /usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf} -- $local_part@$domain\n  user = Debian-exim\n  log_output\n  return_fail_output\n`) });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, user cyrus', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`) });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, user cyrus, batch_max = 20', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`, '  user = cyrus\n  batch_max = 20\n') });
add('lmtp-command', 'lmtp command deliver -C <imapd.conf> (no -l), user cyrus', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -C ${e.imapdConf}`) });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, no user', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`, '') });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, user mail', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`, '  user = mail\n') });
add('lmtp-command', 'lmtp command lmtpd -C <imapd.conf>, user cyrus', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/lmtpd -C ${e.imapdConf}`) });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, lmtpsocket moved', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`), imapd: (t) => must(t, /lmtpsocket: (.*)\n/, 'lmtpsocket: $1-moved\n') });
add('lmtp-command', 'lmtp command deliver -l -C <imapd.conf>, virtdomains off', { exim: lmtpCommand((e) => `/usr/lib/cyrus/bin/deliver -l -C ${e.imapdConf}`), imapd: (t) => must(t, 'virtdomains: userid', 'virtdomains: off') });

// ---- picking -----------------------------------------------------------------------------------
const pool = MUTATIONS.filter((m) => m.kind.includes(KIND) || m.what.includes(KIND));
if (!pool.length) bail(`no mutation kind matches "${KIND}"`);
const rand = rng(SEED);
const order = pool.map((m) => [rand(), m]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
const picked = COUNT === undefined ? order : Array.from({ length: COUNT }, (_, i) => order[i % order.length]);

// ---- Cyrus -------------------------------------------------------------------------------------
/**
 * A harness Cyrus with lmtpd's imapd.conf (and cyrus.conf) mutated; imapd (admin, counting)
 * keeps an unmutated copy. Returns the instance and its env, or the start-up error.
 */
async function cyrusFor(m, free) {
  let env;
  const edit = (text, dir) => {
    const conf = path.join(dir, 'imapd.conf'), admin = path.join(dir, 'imapd-admin.conf');
    const clean = fs.readFileSync(conf, 'utf8');
    fs.writeFileSync(admin, clean);
    const ports = {
      trusted: Number(/lmtptrusted\s+cmd="[^"]*" listen="127\.0\.0\.1:(\d+)"/.exec(text)[1]),
      auth: Number(/lmtpauth\s+cmd="[^"]*" listen="127\.0\.0\.1:(\d+)"/.exec(text)[1]),
      free,
    };
    env = { ports, dir, sock: path.join(dir, 'socket', 'lmtp'), imapdConf: conf };
    if (m?.imapd) fs.writeFileSync(conf, m.imapd(clean, env));
    let out = text.replace(/(  imap\s+cmd="imapd -C )\S+(")/, `$1${admin}$2`);
    if (m?.cyrus) out = m.cyrus(out, env);
    return out;
  };
  try {
    const cy = await core.startCyrus({ mailboxes: [MAILBOXES.own, MAILBOXES.bare], editCyrusConf: edit });
    env.password = cy.admin.password;
    return { cy, env };
  } catch (e) {
    return { error: String(e.message ?? e).split('\n').slice(0, 6).join(' | '), env };
  }
}

// ---- Exim --------------------------------------------------------------------------------------
function eximConf(text) {
  const dir = fs.mkdtempSync(path.join(scratch, 'exim-'));
  fs.chmodSync(dir, 0o755);
  for (const d of ['spool', 'log']) fs.mkdirSync(path.join(dir, d));
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, text.replace('primary_hostname = mail.example.com\n',
    `primary_hostname = mail.example.com\nspool_directory = ${dir}/spool\nlog_file_path = ${dir}/log/%slog\n`));
  spawnSync('chown', ['-R', 'Debian-exim:Debian-exim', path.join(dir, 'spool'), path.join(dir, 'log')]);
  return { dir, conf };
}

function replies(out) {
  const list = []; let cur = [];
  for (const l of out.split(/\r?\n/)) {
    if (!/^\d{3}[ -]/.test(l)) continue;
    cur.push(l);
    if (l[3] === ' ') { list.push(cur.join(' / ')); cur = []; }
  }
  return list;
}

function rcpt(conf, recipients) {
  const dialog = ['EHLO client.example.net', 'MAIL FROM:<>', ...recipients.map((r) => `RCPT TO:<${r}>`), 'QUIT', ''].join('\r\n');
  const r = spawnSync(EXIM, ['-C', conf, '-bhc', '192.0.2.1'], { input: dialog, encoding: 'utf8', timeout: 60_000 });
  const all = replies(r.stdout ?? '');
  return { rcpt: all.slice(3, 3 + recipients.length), log: r.stderr ?? '' };
}

function deliver(dir, conf, to) {
  spawnSync(EXIM, ['-C', conf, '-odf', '-oi', '-f', 'sender@example.net', to], { input: 'Subject: link mutation\n\nhello\n', encoding: 'utf8', timeout: 60_000 });
  try { return fs.readFileSync(path.join(dir, 'log', 'mainlog'), 'utf8'); } catch { return ''; }
}

const counts = async (cy) => {
  const c = {};
  for (const [k, mb] of Object.entries(MAILBOXES)) { try { c[k] = await cy.messageCount(mb); } catch { c[k] = NaN; } }
  return c;
};

// ---- ours --------------------------------------------------------------------------------------
const SEV = { error: 3, warning: 2, information: 1, hint: 0 };
function lint(conf, cy) {
  return core.checkProject([{ path: conf, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' }], core.defaultOptions)
    .map((f) => ({ code: f.code, severity: f.severity, message: f.message, where: `${path.basename(f.file)}:${f.range.start.line + 1}` }));
}
const key = (f) => `${f.code}|${f.severity}|${f.message.replace(/\d+/g, 'N').replace(/\/tmp\/\S+/g, 'P')}`;

// ---- run ---------------------------------------------------------------------------------------
async function observe(m, cy, env) {
  const text = m ? m.exim ? m.exim(setPort(env.ports.trusted)(REFERENCE), env) : setPort(env.ports.trusted)(REFERENCE) : setPort(env.ports.trusted)(REFERENCE);
  const { dir, conf } = eximConf(text);
  const ours = lint(conf, cy);
  const bv = spawnSync(EXIM, ['-C', conf, '-bV'], { encoding: 'utf8', timeout: 30_000 });
  const real = { notes: [] };
  if (bv.status !== 0) {
    real.configError = ((bv.stderr || bv.stdout || '').trim().split('\n').slice(-3).join(' | ')).slice(0, 400);
  } else {
    const s = rcpt(conf, [ALICE, NOBODY]);
    real.alice = s.rcpt[0] ?? '(no reply)';
    real.nobody = s.rcpt[1] ?? '(no reply)';
    const calloutLines = s.log.split('\n').filter((l) => /callout|Cannot do|verify/i.test(l));
    if (calloutLines.length) real.notes.push(...calloutLines.slice(0, 4).map((l) => 'bh: ' + l.trim().slice(0, 300)));
    const before = await counts(cy);
    const log = deliver(dir, conf, ALICE);
    const after = await counts(cy);
    real.delivered = after.own === before.own + 1;
    real.misdelivered = !real.delivered && after.bare === before.bare + 1;
    real.countsUnknown = Number.isNaN(before.own) || Number.isNaN(after.own);
    // Exim run with -C as Debian-exim cannot take a transport's user (user = cyrus): that
    // delivery says nothing about the configs.
    real.cannotSwitchUser = /unable to set gid=\d+ or uid=\d+/.test(log);
    real.mainlog = log.split('\n').filter((l) => /alice|==|\*\*|=>|defer|error/i.test(l)).slice(-3).map((l) => l.replace(/^\S+ \S+ /, '').slice(0, 300));
  }
  const calloutWanted = /^\s*(?:deny|require|accept|warn|drop|defer)?\s*!?verify\s*=\s*recipient\/[^\n]*callout/m.test(text);
  real.ok = !real.configError && /^250/.test(real.alice) && real.delivered && (!calloutWanted || /^5/.test(real.nobody));
  return { ours, real, calloutWanted, dir };
}

let base;
{
  const free = await core.freePort();
  const c = await cyrusFor(undefined, free);
  if (c.error) { console.log(`mutate-link: the unmutated Cyrus does not start: ${c.error}`); process.exit(1); }
  base = c;
  const o = await observe(undefined, c.cy, c.env);
  fs.rmSync(o.dir, { recursive: true, force: true });
  if (!o.real.ok) { console.log(`mutate-link: the unmutated pairing does not work here: ${JSON.stringify(o.real)}`); await c.cy.stop(); process.exit(1); }
  base.findings = new Set(o.ours.map(key));
  const errs = o.ours.filter((f) => f.severity === 'error');
  console.log(`baseline: delivers and verifies; our findings on it: ${o.ours.length} (${errs.length} errors)${o.ours.length ? ': ' + [...new Set(o.ours.map((f) => f.code))].join(', ') : ''}`);
}

const results = [];
let n = 0;
for (const m of picked) {
  n++;
  const free = await core.freePort();
  let cy, env, startError, own = false;
  if (m.cyrus || m.imapd) {
    const c = await cyrusFor(m, free);
    ({ cy, env } = c); startError = c.error; own = true;
  } else {
    cy = base.cy; env = { ...base.env, ports: { ...base.env.ports, free } };
  }
  let r;
  try {
    if (startError) {
      r = { ours: [], real: { ok: false, cyrusStart: startError, notes: [] } };
    } else {
      r = await observe(m, cy, env);
      fs.rmSync(r.dir, { recursive: true, force: true });
    }
  } catch (e) {
    r = { ours: [], real: { ok: false, notes: [], harness: String(e.stack ?? e).slice(0, 600) } };
  } finally {
    if (own && cy) await cy.stop();
  }
  const fresh = r.ours.filter((f) => !base.findings.has(key(f)));
  const top = fresh.reduce((s, f) => Math.max(s, SEV[f.severity] ?? 0), -1);
  // A failed delivery is explained only by a finding about delivery, not by one that says a
  // callout cannot be made (that hid every delivery failure of a command or socket transport
  // until the seventeenth round).
  const CALLOUT_ONLY = new Set(['link/callout-needs-tcp', 'link/no-recipient-callout']);
  const topDelivery = fresh.filter((f) => !CALLOUT_ONLY.has(f.code)).reduce((s, f) => Math.max(s, SEV[f.severity] ?? 0), -1);
  const deliveryMissed = !r.real.configError && !r.real.cyrusStart && r.real.delivered === false && !r.real.misdelivered && topDelivery < 2;
  const verdict = r.real.harness || r.real.cannotSwitchUser ? 'HARNESS' : top >= 3 && r.real.ok ? 'FALSE-POSITIVE' : (!r.real.ok && top < 2) || deliveryMissed ? 'MISS' : 'agree';
  results.push({ m, verdict, fresh, real: r.real });
  const codes = [...new Set(fresh.filter((f) => SEV[f.severity] >= 2).map((f) => `${f.code}(${f.severity[0]})`))].join(' ') || '-';
  if (VERBOSE || verdict !== 'agree') console.log(`${String(n).padStart(3)} ${verdict.padEnd(14)} ${m.kind}: ${m.what} | ours: ${codes} | real: ${summary(r.real)}`);
}
await base.cy.stop();

function summary(real) {
  if (real.harness) return `harness failed: ${real.harness.split('\n')[0]}`;
  if (real.cannotSwitchUser) return 'untestable here: Exim run with -C cannot change to the transport\'s user';
  if (real.cyrusStart) return `Cyrus did not start: ${real.cyrusStart.slice(0, 160)}`;
  if (real.configError) return `exim -bV: ${real.configError.slice(0, 160)}`;
  return `alice ${real.alice.slice(0, 60)}; nobody ${real.nobody.slice(0, 60)}; ${real.delivered ? 'delivered' : real.misdelivered ? 'MISDELIVERED to user/alice' : 'not delivered'}${real.countsUnknown ? ' (count unreadable)' : ''}`;
}

// ---- summary and report -------------------------------------------------------------------------
const byKind = new Map();
for (const r of results) {
  const k = byKind.get(r.m.kind) ?? { total: 0, agree: 0, 'FALSE-POSITIVE': 0, MISS: 0, HARNESS: 0 };
  k.total++; k[r.verdict]++;
  byKind.set(r.m.kind, k);
}
console.log(`\nseed ${SEED}, ${results.length} mutants`);
console.log('kind'.padEnd(28) + 'total  agree  false-pos  miss  harness');
for (const [kind, k] of [...byKind].sort()) console.log(kind.padEnd(28) + [k.total, k.agree, k['FALSE-POSITIVE'], k.MISS, k.HARNESS].map((x, i) => String(x).padStart([5, 7, 11, 6, 9][i])).join(''));
const bad = results.filter((r) => r.verdict !== 'agree');
const lines = [`mutate-link seed ${SEED}: ${results.length} mutants, ${bad.length} disagreements`, ''];
const seen = new Set();
for (const r of bad) {
  if (seen.has(r.m.what)) continue;
  seen.add(r.m.what);
  lines.push(`== ${r.verdict} ${r.m.kind}: ${r.m.what}`);
  lines.push(`real: ${summary(r.real)}`);
  for (const l of [...(r.real.notes ?? []), ...(r.real.mainlog ?? []).map((l) => 'mainlog: ' + l)]) lines.push('  ' + l);
  lines.push('ours (new against the unmutated pairing):');
  for (const f of r.fresh) lines.push(`  ${f.severity} ${f.code} ${f.where}: ${f.message}`);
  if (!r.fresh.length) lines.push('  (nothing)');
  lines.push('');
}
fs.mkdirSync(path.dirname(REPORT), { recursive: true });
fs.writeFileSync(REPORT, lines.join('\n'));
console.log(`\n${bad.length} disagreements; report: ${path.relative(process.cwd(), REPORT) || REPORT}`);
