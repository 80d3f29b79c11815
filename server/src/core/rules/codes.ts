import type { Severity } from '../diagnostic';

/**
 * Every rule code the tool can emit, with its default severity and a one-line summary.
 * The codes are a public contract (CLI JSON/SARIF, editor filters, CI baselines):
 * add new ones, never rename or reuse one.
 */
export const RULES = {
  // Exim run-time configuration
  'exim/syntax': { severity: 'error', summary: 'A line Exim cannot parse.' },
  'exim/unknown-option': { severity: 'error', summary: 'An option that does not exist in this section or driver (for the target Exim version).' },
  'exim/invalid-value': { severity: 'error', summary: 'A value of the wrong type or not among the allowed values; an option a driver needs, or a pair it refuses, as Exim checks them when it loads the config; a malformed retry rule; a user or group name no system has; a regular expression PCRE2 refuses in uucp_from_pattern (compiled at load). Warnings, for what Exim meets at run time: a lookup in a list item of a type Exim does not have, or of a file that is not an absolute path; such a regular expression in a list item, a rewrite pattern or another pattern option (Exim panics when a match reaches it, or skips it in `regex` and `mime_regex`); a relative path where Exim needs an absolute one (appendfile\'s file or directory, a redirect router\'s file, a transport\'s home or current directory, a require_files file); a transport\'s or router\'s user Exim never delivers as (root, or one never_users names), or a router\'s numeric user without a group; tainted data (from the envelope or the message, such as `$local_part`) where Exim 4.94 and later refuse it: an appendfile file or directory, an autoreply file, once file or log, a pipe command\'s arguments, a redirect router\'s file; `$local_part_data` or `$domain_data` in such a place while the router that hands the address over sets none (no check_local_user, local_parts or domains item that can match), so every address gets one file; a headers_add line without its colon; an smtp interface that is no IP address; redirect data starting with an unknown special item, or with :fail: / :defer: the router does not allow.' },
  'exim/unknown-driver': { severity: 'error', summary: 'A driver name Exim does not have.' },
  'exim/missing-driver': { severity: 'error', summary: 'A router, transport or authenticator without `driver =`.' },
  'exim/duplicate-name': { severity: 'error', summary: 'Two instances or named lists of one name, or an option set twice.' },
  'exim/acl-syntax': { severity: 'error', summary: 'An unknown ACL verb, condition or modifier, or one not allowed in that ACL; (warning) an argument Exim reads only when the ACL runs: a verify type, a callout option, ratelimit\'s rate, period and options, a delay or seen time, a queue name, a logwrite log, an add_header line without its colon.' },
  'exim/expansion-syntax': { severity: 'warning', summary: 'A malformed string expansion: unbalanced braces, unknown item, operator or condition, the wrong number of {arguments}, a non-integer in a numeric comparison, a `match` or `sg` pattern PCRE2 refuses, a `${run}` program without its directory, a file lookup\'s file that is not an absolute path or is named from tainted data (Exim 4.94 and later refuse it); nesting deep enough that Exim may crash.' },
  'exim/unknown-variable': { severity: 'warning', summary: 'An expansion variable Exim does not know.' },
  'exim/undefined-transport': { severity: 'warning', summary: 'A router names a transport that is not defined.' },
  'exim/transport-no-destination': { severity: 'warning', summary: 'A router hands its addresses to a transport with nowhere to deliver them, so every delivery defers: an smtp transport with no (or an empty) `hosts` under an accept router (which finds none; recipient callouts through it are never made either), a pipe transport without `command`, an appendfile transport with neither `file` nor `directory` (those serve a redirect router\'s pipe and file deliveries).' },
  'exim/undefined-list': { severity: 'warning', summary: 'A `+name` reference to a named list that is not defined.' },
  'exim/list-kind-mismatch': { severity: 'warning', summary: 'A named list of one kind used where another kind is needed.' },
  'exim/undefined-acl': { severity: 'warning', summary: 'An `acl_smtp_*` option or `acl =` condition naming no ACL.' },
  'exim/acl-loop': { severity: 'warning', summary: 'An `acl =` condition that calls back into its own ACL, directly or through others: Exim fails it with "ACL nested too deep".' },
  'exim/acl-unreachable': { severity: 'warning', summary: 'An ACL statement after an `accept`, `deny`, `drop`, `discard` or `defer` with no condition (modifiers only): that statement ends the ACL every time, and Exim never runs the ones after it.' },
  'exim/undefined-router': { severity: 'error', summary: 'A `pass_router` or `redirect_router` naming no router (or, for `pass_router`, none after its own).' },
  'exim/undefined-macro': { severity: 'warning', summary: 'A macro-like name that is not defined.' },
  'exim/conditional-syntax': { severity: 'error', summary: 'An unbalanced or malformed `.ifdef`/`.else`/`.endif`.' },
  'exim/include-not-found': { severity: 'error', summary: 'An `.include` whose file does not exist.' },
  'exim/unused-definition': { severity: 'hint', summary: 'A transport, named list, ACL or macro that nothing uses.' },
  'exim/lookup-file-access': { severity: 'error', summary: 'On this machine, Exim\'s daemon (the Exim user and group, with the groups /etc/group gives that user) cannot read a file that a list an ACL matches opens (a lookup\'s file, or a file item whose lines are items; in the condition itself, or in a named list it uses): the process serving the connection dies there ("failed to open ... Permission denied"), and the client gets no answer. The same for a `${lookup}` in an ACL condition: Exim answers 451 there. Checked only where the path exists here.' },
  'exim/tls-file-access': { severity: 'error', summary: 'On this machine, Exim\'s daemon (the Exim user and group, with the groups /etc/group gives that user) cannot read `tls_certificate` or `tls_privatekey`: a directory on the way it may not search, or the file it may not read. It still offers STARTTLS, and answers it "454 TLS currently unavailable" ("Error while reading file" in its log). Checked only where the path exists here. Fix: add the Exim user to a group that may read it (Debian: `adduser Debian-exim ssl-cert`).' },
  // cyrus.conf
  'cyrus/syntax': { severity: 'error', summary: 'A line of cyrus.conf that Cyrus master cannot parse.' },
  'cyrus/unknown-section': { severity: 'error', summary: 'A section other than START, SERVICES, EVENTS, DAEMON.' },
  'cyrus/unknown-argument': { severity: 'error', summary: 'An argument that the section does not take.' },
  'cyrus/missing-argument': { severity: 'error', summary: 'A required argument is missing (e.g. a service without `cmd`).' },
  'cyrus/invalid-value': { severity: 'error', summary: 'An argument value of the wrong type, a `cmd` flag that makes the service exit, or a `-C` file that is not there.' },
  'cyrus/duplicate-entry': { severity: 'error', summary: 'Two entries of one name in a section.' },
  'cyrus/listen-conflict': { severity: 'error', summary: 'Two services listening on one address/port or socket.' },
  'cyrus/lmtp-preauth-exposed': { severity: 'warning', summary: "`lmtpd -a` listens on every interface or on a public address: `-a` counts every connection as authenticated, so anyone who reaches the port can deliver to any mailbox, past Exim's checks." },
  'cyrus/unknown-program': { severity: 'error', summary: "A `cmd` program that Cyrus does not ship: master refuses to start without a service's, daemon's or START entry's (a warning for an event, or through Debian's `cyrus` wrapper)." },
  // imapd.conf
  'imapd/syntax': { severity: 'error', summary: 'A line of imapd.conf that is not `option: value`.' },
  'imapd/unknown-option': { severity: 'error', summary: 'An option Cyrus does not know (for the target version).' },
  'imapd/invalid-value': { severity: 'error', summary: 'A value of the wrong type or not among the allowed values, or a relative `@include` path.' },
  'imapd/deprecated-option': { severity: 'warning', summary: 'A deprecated option; names its replacement.' },
  'imapd/duplicate-option': { severity: 'error', summary: 'An option set twice (also across `@include`): Cyrus refuses to start.' },
  'imapd/missing-option': { severity: 'error', summary: 'What Cyrus cannot run without: no `configdirectory` (every program stops at start). Warnings, for what fails once it runs: no `partition-NAME` at all (CREATE fails: "Unknown/invalid partition"), or a `defaultpartition` naming a partition that is not set (imapd drops the connection at CREATE).' },
  'imapd/config-access': { severity: 'error', summary: 'On this machine, Cyrus\'s services (`cyrus_user`, else `cyrus`, with its groups) cannot read a file this imapd.conf `@include`s, or /etc/imapd.conf itself: master starts (it reads as root), but every service exits as it starts ("can\'t open configuration file"), so lmtpd closes each connection and Exim\'s deliveries defer. Checked only where the path exists here.' },
  'imapd/directory-access': { severity: 'error', summary: 'On this machine, Cyrus\'s services (`cyrus_user`, else `cyrus`, with its groups) cannot make files in `configdirectory` (master starts, but imapd never greets and lmtpd closes connections without a word, so Exim\'s deliveries defer) or in a `partition-NAME` (creating a mailbox there fails: "NO System I/O error"). Checked only where the directory exists here. Fix: give it to the Cyrus user (Debian: `cyrus:mail`, 0750).' },
  'imapd/tls-file-access': { severity: 'error', summary: 'On this machine, Cyrus\'s services (`cyrus_user`, else `cyrus`, with its groups) cannot read the `tls_server_cert` or `tls_server_key` in force: they still offer STARTTLS and refuse it ("Error initializing TLS"), so clients that insist on TLS cannot log in and an Exim transport with `hosts_require_tls` defers. Checked only where the path exists here. Fix: add the Cyrus user to a group that may read it (Debian: `adduser cyrus ssl-cert`).' },
  // Exim <-> Cyrus
  'link/lmtp-no-listener': { severity: 'error', summary: 'An LMTP transport (or `deliver` pipe) delivers where no working Cyrus lmtpd listens (a warning for one host of a list when another host takes the mail).' },
  'link/lmtp-auth-required': { severity: 'error', summary: 'The matching lmtpd listens on TCP without `-a` and the transport does not authenticate, or tries (`hosts_try_auth`) with no mechanism lmtpd offers (a warning when another host of the list takes the mail).' },
  'link/localhost-not-allowed': { severity: 'error', summary: 'An smtp transport to the local host without `allow_localhost`, or a manualroute router to it without `self = send`.' },
  'link/localhost-dns': { severity: 'warning', summary: '`hosts = localhost` looked up in DNS only (no `gethostbyname`).' },
  'link/router-shadowed': { severity: 'error', summary: 'A router before the Cyrus router takes the Cyrus domains.' },
  'link/callout-needs-tcp': { severity: 'warning', summary: 'A recipient callout for domains delivered only over a UNIX socket.' },
  'link/domain-mismatch': { severity: 'warning', summary: 'The RCPT ACL and the Cyrus router accept different domains.' },
  'link/virtdomains': { severity: 'warning', summary: 'Exim passes the domain and the lmtpd it reaches ignores it, or the reverse.' },
  'link/unix-socket-mismatch': { severity: 'error', summary: "An lmtp transport's socket, or `deliver`'s `lmtpsocket`, is not Cyrus's lmtpd socket." },
  'link/ipv6-colon-list': { severity: 'warning', summary: 'An IPv6 address in a colon-separated list.' },
  'link/smtp-to-lmtpd': { severity: 'error', summary: 'An smtp transport without `protocol = lmtp` connects to a Cyrus lmtpd on this machine.' },
  'link/require-auth-no-client': { severity: 'error', summary: 'A Cyrus LMTP transport requires AUTH (`hosts_require_auth`) but no authenticator has a client side.' },
  'link/callout-host-port': { severity: 'warning', summary: 'A recipient callout through an LMTP transport whose every host names its own port (`host::port`), which the callout cannot use.' },
  'link/lmtp-avoid-esmtp': { severity: 'error', summary: 'An LMTP transport whose `hosts_avoid_esmtp` matches its host: Exim greets with HELO, which lmtpd refuses (a warning when other hosts of the list are not matched).' },
  'link/cyrus-router-no-verify': { severity: 'warning', summary: 'The Cyrus router has `no_verify` (or `verify_recipient = false`) while the RCPT ACL verifies its recipients, and no later router verifies them to Cyrus: they are refused as unknown or verified elsewhere.' },
  'link/cyrus-router-unseen': { severity: 'warning', summary: 'The Cyrus router has `unseen` and no router after it takes the copy Exim passes on: each delivery\'s copy bounces as an unknown user, and where the RCPT ACL verifies recipients, Cyrus\'s recipients are refused as unknown at RCPT too.' },
  'link/lmtp-tls-unavailable': { severity: 'error', summary: 'A Cyrus LMTP transport requires TLS (`hosts_require_tls`) of a host whose lmtpd never offers STARTTLS: `lmtpd -a` never does, and without `-a` only with a certificate and key in imapd.conf (a warning when other hosts of the list are not affected).' },
  'link/auth-no-common-mechanism': { severity: 'error', summary: "A Cyrus LMTP transport requires AUTH (`hosts_require_auth`) but lmtpd offers none of its client authenticators' mechanisms: `lmtpd -a` offers only EXTERNAL, and without TLS lmtpd keeps PLAIN and LOGIN back unless `allowplaintext` is on, and every mechanism Exim has when `sasl_minimum_layer` asks for a security layer (a warning when other hosts of the list are not affected)." },
  'link/message-size-limit': { severity: 'warning', summary: "Exim accepts bigger messages (`message_size_limit`, 50M unless set) than Cyrus's lmtpd takes (`maxmessagesize`, counting the SIZE Exim declares): they are accepted, then bounced." },
  'link/no-recipient-callout': { severity: 'warning', summary: 'The RCPT ACL accepts mail from outside for any local part of a Cyrus domain: the Cyrus router takes every local part, so `verify = recipient` passes, and no recipient callout asks Cyrus first. Unknown users are accepted, then bounced by lmtpd at delivery.' },
  'link/plus-address-dropped': { severity: 'warning', summary: 'The Cyrus router strips a `+detail` suffix (`local_part_suffix = +*`) and its LMTP transport leaves it out of the RCPT it sends lmtpd (no `rcpt_include_affixes`): mail for user+folder lands in the INBOX, never in the folder the detail names, and Sieve sees no `:detail`.' },
  'link/cyrus-router-affix-required': { severity: 'warning', summary: 'The Cyrus router takes only addresses with a local part suffix or prefix (`local_part_suffix` without `local_part_suffix_optional`, or the same for a prefix) and no other router delivers to Cyrus or may take the Cyrus domains: mail for plain addresses never reaches Cyrus and is bounced or refused.' },
  'link/no-retry-rule': { severity: 'warning', summary: 'No retry rule applies to mail for Cyrus (no retry section, an empty one, or rules for other domains, senders or error types only): Exim then takes Cyrus\'s everyday temporary answers as permanent and bounces the message at once, when lmtpd answers 452 for a mailbox over quota or is not listening while master restarts. Fix: add Exim\'s default rule `*   *   F,2h,15m; G,16h,1h,1.5; F,4d,6h` after the others.' },
  'link/socket-permission': { severity: 'error', summary: 'On this machine, the process Exim runs the lmtp transport in (the transport\'s user and group, else the router\'s, else the Exim user\'s, without supplementary groups unless initgroups) may not search a directory on the way to Cyrus\'s UNIX socket or write to the socket: every delivery defers with "Permission denied". The same for a pipe running Cyrus\'s deliver, which then cannot reach its lmtpsocket and exits 78: every message bounces. Checked only where the socket\'s directories exist. Fix: `group =` the directory\'s group (Debian: `group = mail`).' },
  // Cross-cutting
  'input/unreadable': { severity: 'error', summary: 'A file that cannot be read or is not text.' },
  'exim/external': { severity: 'error', summary: "An error reported by the real Exim (`exim -bV`)." },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleCode = keyof typeof RULES;
