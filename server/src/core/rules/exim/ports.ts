// exim/invalid-value on ports Exim loads without a word and then gets wrong: an smtp
// transport's `port` and the items of daemon_smtp_ports, which Exim reads alike (strtol in
// base 0, cut to 16 bits: core/exim/port.ts). Characters after the digits defer every
// delivery through the transport ("invalid port number for t transport: 25x") or stop the
// daemon as it starts ("invalid SMTP port: 587x"); 0 is refused by every host, and the daemon
// listens on a port the kernel picks; a number above 65535 or with a leading 0 is another port
// than the one written (exim4 -odf connected to 4464 for 70000 and to 21 for 025, and
// exim4 -bdf listened there). A service name missing from /etc/services is the link rules'
// (they read the machine's file); an expansion is left alone.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc } from '../../exim/model';
import { readPortOption } from '../../exim/port';
import type { CheckOptions } from '../../options';
import { describe, given, mainSetting } from './instance-options';
import { locOfText, spansText, splitList } from './lists';
import { RUN_TIME } from './suggest';

/** What is wrong with a port written as `text`, in the words of `use` (how Exim fails on it). */
function portProblem(cfg: EximConfig, text: string, at: Loc, use: { invalid: string; zero: string }): { message: string; fixes?: Fix[] } | undefined {
  const p = readPortOption(text);
  if (p.kind === 'invalid') {
    const why = /^0\d/.test(text) ? ': a leading 0 makes it an octal number, where 8 and 9 are no digits' : '';
    return { message: `is no port number as Exim reads it${why}. ${use.invalid} Give the port as a decimal number (or a service name /etc/services defines).` };
  }
  if (p.kind !== 'number') return undefined;
  if (p.port === 0) return { message: `is port 0${p.written !== 0n ? ` (Exim keeps only the low 16 bits of ${p.written})` : ''}: ${use.zero}` };
  if (p.written > 65535n) return { message: `is above 65535, the highest TCP port: Exim keeps only its low 16 bits, which make port ${p.port}. Write the port meant.` };
  if (!p.octal) return undefined;
  const decimal = text.replace(/^0+/, '');
  const message = `is octal to Exim (a number with a leading 0), port ${p.port}, not ${decimal}. Write the port in decimal.`;
  // Only where the value is written as it stands (not through a macro) may the fix replace it.
  if (!spansText(cfg, at, text)) return { message };
  return { message, fixes: [{ title: `Write port ${decimal} (drop the leading zeros)`, edits: [{ file: at.file, range: at.range, newText: decimal }] }] };
}

export function checkPorts(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    const s = given(t, 'port');
    const text = s?.value?.trim();
    const at = s?.valueLoc;
    if (!s || s.negated || !text || !at || /[$\\]/.test(text)) continue;
    const problem = portProblem(cfg, text, at, {
      invalid: `Exim defers every address delivered through it ("invalid port number for ${t.name} transport: ${text}").`,
      zero: 'no host listens there, and every delivery through it is deferred ("Connection refused"). Give the port the hosts listen on.',
    });
    if (problem) out.push(finding('exim/invalid-value', at.file, at.range, `In ${describe(t)}, port = ${text} ${problem.message}`, { ...RUN_TIME, ...problem.fixes ? { fixes: problem.fixes } : {} }));
  }
  const daemon = mainSetting(cfg, 'daemon_smtp_ports');
  if (daemon?.value && daemon.valueLoc && !daemon.negated && !/[$\\]/.test(daemon.value)) {
    for (const it of splitList(daemon.value)) {
      const at = locOfText(cfg, daemon.valueLoc, it.text);
      const problem = portProblem(cfg, it.text, at, {
        invalid: `The daemon refuses to start ("Exim configuration error: invalid SMTP port: ${it.text}"); exim -bV does not see it.`,
        zero: 'the daemon listens on a port the kernel picks, different each start, where no client looks. Give the port clients connect to.',
      });
      if (problem) out.push(finding('exim/invalid-value', at.file, at.range, `daemon_smtp_ports item ${it.text} ${problem.message}`, { ...RUN_TIME, ...problem.fixes ? { fixes: problem.fixes } : {} }));
    }
  }
  return out;
}
