// `exim-cyrus callout`: asks Cyrus's lmtpd (or smmapd) whether it would accept recipients,
// the way Exim's recipient callout does, without ever sending a message.
// Exit status: 0 all accepted, 1 a recipient permanently rejected, 2 usage error, 3 no verdict
// (temporary, session refused before any RCPT, unreachable, timeout, protocol error).
import { one, parseArgs, UsageError } from './args';
import { diskHost } from '../core/host';
// The session's own modules, not core/lmtp's index: that also exports target discovery,
// which reads configs (./callout-targets, loaded only when configs are named).
import { callout } from '../core/lmtp/callout';
import { socketmapLookup } from '../core/lmtp/socketmap';
import { parseTarget, type Target } from '../core/lmtp/target';
import { recipientError, senderError } from '../core/lmtp/address';
import type { CalloutResult, OutcomeKind } from '../core/lmtp/types';
import type { CalloutCandidate } from '../core/lmtp/discover';
import type * as Targets from './callout-targets';

export const CALLOUT_USAGE = `usage: exim-cyrus callout [options] RECIPIENT...

Asks an LMTP server (Cyrus lmtpd) whether it would accept each RECIPIENT: LHLO, MAIL,
one RCPT per recipient, RSET, QUIT. No message is ever sent (never DATA).

options:
  --target T            HOST:PORT, [IPv6]:PORT or a UNIX socket path
  --exim FILE           find the target in this Exim config (its LMTP transport)
  --cyrus FILE          find the target in this cyrus.conf (its lmtpd listeners)
  --from ADDR           envelope sender (default: the null sender <>)
  --lhlo NAME           name to give in LHLO/EHLO (default: this host's name)
  --protocol P          lmtp (default) or smtp
  --random              first try a random local part at each domain (Exim's callout=random)
  --socketmap           ask smmapd (sendmail socket-map protocol) instead of lmtpd
  --map NAME            socket-map name (default: cyrus)
  --timeout SECONDS     bound on connecting and on each reply (default 5)
  --format F            text (default) or json
  --user U              authenticate with AUTH PLAIN as U ...
  --password-env VAR    ... with the password in environment variable VAR
  -h, --help            show this help

Without --target, the target is found in --exim (first) or --cyrus; when several
endpoints are found they are listed and nothing is tried.

exit status: 0 all accepted
             1 a recipient permanently rejected (5xx to its RCPT), even when the
               session failed after that answer
             2 usage error
             3 no verdict on some recipient: temporary failure (4xx), the session
               refused before any RCPT (5xx to the greeting, LHLO, AUTH or MAIL),
               unreachable, timeout or protocol error`;

export interface CalloutIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const defaultIo: CalloutIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
};

/**
 * 1 only when a recipient is known to be refused for good: a refused session (`session-rejected`)
 * says nothing about the recipients, so like every other outcome without a verdict it is 3.
 */
export function exitCodeFor(kind: OutcomeKind): number {
  return kind === 'accepted' ? 0 : kind === 'rejected' ? 1 : kind === 'invalid-input' ? 2 : 3;
}

export async function runCallout(argv: string[], io: CalloutIo = defaultIo): Promise<number> {
  const args = parseArgs(argv, {
    values: ['target', 'exim', 'cyrus', 'from', 'lhlo', 'protocol', 'map', 'timeout', 'format', 'user', 'password-env'],
    switches: ['random', 'socketmap', 'help'],
    short: { h: 'help' },
  });
  if (args.switches.has('help')) { io.out(CALLOUT_USAGE + '\n'); return 0; }

  const format = one(args, 'format', ['text', 'json']) ?? 'text';
  const protocol = (one(args, 'protocol', ['lmtp', 'smtp']) ?? 'lmtp') as 'lmtp' | 'smtp';
  const socketmap = args.switches.has('socketmap');
  if (socketmap && args.flags.has('protocol')) throw new UsageError('--protocol does not apply to --socketmap');
  if (socketmap && (args.switches.has('random') || args.flags.has('user') || args.flags.has('from') || args.flags.has('lhlo'))) {
    throw new UsageError('--random, --user, --from and --lhlo do not apply to --socketmap');
  }
  if (!socketmap && args.flags.has('map')) throw new UsageError('--map needs --socketmap');

  const recipients = args.positional;
  if (!recipients.length) throw new UsageError('give at least one RECIPIENT address');
  for (const r of recipients) {
    const e = recipientError(r);
    if (e) throw new UsageError(`invalid recipient: ${e}`);
  }
  const from = one(args, 'from');
  if (from !== undefined) {
    const e = senderError(from);
    if (e) throw new UsageError(`invalid --from: ${e}`);
  }
  const lhlo = one(args, 'lhlo');
  if (lhlo !== undefined && !/^[A-Za-z0-9.\-_[\]:]{1,255}$/.test(lhlo)) throw new UsageError(`invalid --lhlo "${lhlo}": use a host name or an address literal`);

  let timeoutMs: number | undefined;
  const t = one(args, 'timeout');
  if (t !== undefined) {
    const n = Number(t);
    if (!/^\d+(\.\d+)?$/.test(t) || !(n > 0) || n > 600) throw new UsageError(`--timeout must be a number of seconds between 0 and 600 (got "${t}")`);
    timeoutMs = Math.round(n * 1000);
  }

  const user = one(args, 'user');
  const pwVar = one(args, 'password-env');
  if ((user === undefined) !== (pwVar === undefined)) throw new UsageError('--user and --password-env go together');
  let credentials: { user: string; password: string } | undefined;
  if (user !== undefined && pwVar !== undefined) {
    // The password comes from the environment so it never shows in `ps` or shell history.
    const password = io.env[pwVar];
    if (password === undefined) throw new UsageError(`--password-env ${pwVar}: that environment variable is not set`);
    if (!user || /[\0\r\n]/.test(user)) throw new UsageError('--user must be a non-empty name without line breaks');
    credentials = { user, password };
  }

  const chosen = chooseTarget(one(args, 'target'), one(args, 'exim'), one(args, 'cyrus'), socketmap, io);
  if (typeof chosen === 'number') return chosen;

  const result = socketmap
    ? await socketmapLookup(chosen.target, one(args, 'map') ?? 'cyrus', recipients, { timeoutMs, signal: io.signal })
    : await callout({
      target: chosen.target, recipients, from, lhloName: lhlo, protocol, random: args.switches.has('random'),
      credentials, timeoutMs, signal: io.signal,
    });

  if (format === 'json') io.out(JSON.stringify(toJson(result), null, 2) + '\n');
  else io.out(formatText(result, chosen.via));
  return exitCodeFor(result.outcome.kind);
}

/** The target to use, or an exit status after printing why there is none (or too many). */
function chooseTarget(given: string | undefined, exim: string | undefined, cyrus: string | undefined, socketmap: boolean,
  io: CalloutIo): { target: Target; via?: string } | number {
  if (given !== undefined) {
    if (exim !== undefined || cyrus !== undefined) throw new UsageError('give either --target or --exim/--cyrus, not both');
    const p = parseTarget(given);
    if (!p.ok) throw new UsageError(`--target: ${p.error}`);
    return { target: p.target };
  }
  if (exim === undefined && cyrus === undefined) throw new UsageError('give --target, or --exim and/or --cyrus to find the target in');
  let found: CalloutCandidate[] = [];
  const skipped: string[] = [];
  const unreadable = (f: string) => diskHost.readFile(f) === undefined && !diskHost.isDirectory(f);
  if (exim !== undefined && !socketmap) {
    if (unreadable(exim)) throw new UsageError(`--exim ${exim}: no such file, or it cannot be read`);
    const d = (require('./callout-targets') as typeof Targets).eximTargets(exim);
    found = d.candidates;
    skipped.push(...d.skipped);
  }
  if (!found.length && cyrus !== undefined) {
    if (unreadable(cyrus)) throw new UsageError(`--cyrus ${cyrus}: no such file, or it cannot be read`);
    const d = (require('./callout-targets') as typeof Targets).cyrusTargets(cyrus, socketmap ? 'smmapd' : 'lmtpd');
    found = d.candidates;
    skipped.push(...d.skipped);
  }
  if (found.length === 1) {
    const c = found[0];
    return { target: c.target, via: `${c.origin === 'exim-transport' ? 'Exim transport' : 'Cyrus service'} ${c.name}` };
  }
  const what = socketmap ? 'smmapd listener' : 'LMTP endpoint';
  if (!found.length) {
    io.err(`exim-cyrus: no ${what} found in ${[exim, cyrus].filter(Boolean).join(' or ')}${skipped.length ? ':\n  ' + skipped.join('\n  ') : ''}\ngive one with --target\n`);
    return 2;
  }
  io.err(`exim-cyrus: ${found.length} ${what}s found; choose one with --target:\n` + found.map((c) =>
    `  --target ${c.label}   (${c.origin === 'exim-transport' ? 'Exim transport' : 'Cyrus service'} ${c.name}${c.authRequired ? ', needs AUTH: lmtpd without -a' : ''})`).join('\n') + '\n');
  return 2;
}

/** The documented JSON shape: stable keys, nulls for what is absent. */
export function toJson(r: CalloutResult): object {
  return {
    target: r.target,
    protocol: r.protocol,
    greeting: r.greeting ?? null,
    recipients: r.recipients.map((x) => ({
      address: x.address, accepted: x.accepted, status: x.status, code: x.code ?? null, enhancedCode: x.enhancedCode ?? null, reply: x.reply ?? null,
    })),
    ...(r.random ? { random: r.random } : {}),
    transcript: r.transcript,
    outcome: r.outcome,
    durationMs: r.durationMs,
  };
}

export function formatText(r: CalloutResult, via?: string): string {
  const out: string[] = [`target ${r.target} (${r.protocol}${via ? `, from ${via}` : ''})`];
  for (const t of r.transcript) out.push(`${String(t.ms).padStart(6)} ms  ${t.dir}: ${t.line}`);
  if (r.random) {
    for (const p of r.random.probes) out.push(`random ${p.address}: ${p.accepted ? 'accepted' : p.status} ${p.code ?? ''}`.trimEnd());
    if (r.random.acceptsEverything) out.push('random: the server accepts any local part, so accepting a recipient proves nothing');
  }
  for (const x of r.recipients) {
    const last = x.reply?.split('\n').at(-1) ?? '';
    const verdict = x.status === 'accepted' ? 'accepted' : x.status === 'rejected' ? 'REJECTED' : x.status === 'temporary' ? 'TEMPORARILY REFUSED' : 'not tried';
    out.push(`${x.address}: ${verdict}${last ? ` (${last})` : ''}`);
  }
  out.push(`result: ${r.outcome.kind}${r.outcome.phase ? ` at ${r.outcome.phase}` : ''}: ${r.outcome.message}`);
  const hint = r.outcome.hint ?? r.outcome.interrupted?.hint;
  if (hint) out.push(`hint: ${hint}`);
  return out.join('\n') + '\n';
}
