// link/deliver-command: a transport runs Cyrus's deliver (or lmtpd) in a way that cannot
// deliver. Found live (Exim 4.96, Cyrus 3.6, deliver.c's getopt "C:df:r:m:a:F:eE:lqD"):
// - an lmtp transport talks LMTP to its command, and deliver speaks it only with -l; without
//   -l it wants a recipient on its command line and, given none, prints its usage
//   ("421-4.3.0 usage: deliver ..."), so every delivery defers;
// - lmtpd as the lmtp transport's command exits at once outside master ("LMTP connection
//   closed after initial connection"): every delivery defers;
// - a pipe transport writes the message itself: deliver -l takes its lines for LMTP commands,
//   refuses them and exits 0, so Exim logs the delivery ("=>") and the message is lost;
// - the pipe transport's default message_prefix is a "From " line, which deliver refuses as
//   an invalid header (exit 65): every message bounces until message_prefix is set empty.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, OptionSetting } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, option } from './context';
import { fix, insertOptionLine, replaceAt } from './edits';
import { cyrusProgram, deliverArgs, runsDeliver } from './program-config';
import { cyrusTransports } from './routing';

/** " -l" written after the program, where the value stands as written on one line. */
function addLmtpFlag(o: OptionSetting, prog: string): Fix[] {
  const at = o.valueLoc;
  if (!at || at.range.start.line !== at.range.end.line || o.rawValue !== o.value || !o.value?.trimStart().startsWith(prog)) return [];
  const lead = o.value.length - o.value.trimStart().length;
  const column = at.range.start.character + lead + prog.length;
  return [fix('Run deliver -l (LMTP on its standard input)', [{ file: at.file, range: { start: { line: at.range.start.line, character: column }, end: { line: at.range.start.line, character: column } }, newText: ' -l' }], true)];
}

function lmtpCommand(t: DriverInstance, o: OptionSetting, out: Finding[]): void {
  const at = o.valueLoc ?? o.loc;
  const { program, name } = cyrusProgram(o.value ?? '');
  if (runsDeliver(o.value ?? '')) {
    const a = deliverArgs(o.value ?? '');
    if (a.lmtp) return;
    out.push(finding('link/deliver-command', at.file, at.range,
      `Transport ${t.name} (driver lmtp) talks LMTP to its command, but Cyrus's deliver speaks LMTP only with -l: without it, deliver expects the message on its standard input and the recipients on its command line${a.recipients || a.mailbox ? ', and answers Exim\'s LHLO with nothing it can use' : ', and with none given it prints its usage ("421-4.3.0 usage: deliver ...")'}, so every delivery to Cyrus defers. Add -l to the command.`,
      { severity: 'warning', fixes: addLmtpFlag(o, program) }));
    return;
  }
  if (name === 'lmtpd') {
    out.push(finding('link/deliver-command', at.file, at.range,
      `Transport ${t.name} runs Cyrus's lmtpd as its command, but lmtpd works only as a service of Cyrus master: run on its own it exits at once ("LMTP connection closed after initial connection"), so every delivery to Cyrus defers. Run Cyrus's deliver -l instead (it passes LMTP on to lmtpd's socket), or set socket to the UNIX socket lmtpd listens on.`,
      { severity: 'warning' }));
  }
}

function pipeCommand(ctx: LinkContext, t: DriverInstance, o: OptionSetting, out: Finding[]): void {
  const at = o.valueLoc ?? o.loc;
  const a = deliverArgs(o.value ?? '');
  if (a.lmtp) {
    out.push(finding('link/deliver-command', at.file, at.range,
      `Transport ${t.name} pipes the message to Cyrus's deliver -l, which expects LMTP commands rather than a message: it refuses each line, and still exits 0, so Exim logs the message as delivered and it is lost. Make the transport an lmtp transport (driver = lmtp) running deliver -l, which takes the recipients from Exim, or drop -l and give deliver the recipient on its command line.`,
      { severity: 'warning' }));
    return;
  }
  // use_bsmtp writes SMTP commands instead of a prefix: another matter.
  if (boolOption(t, 'use_bsmtp', false) !== false) return;
  const prefix = option(t, 'message_prefix');
  const value = prefix && !prefix.negated ? prefix.value : undefined;
  if (prefix && !prefix.negated && !/^\s*From /.test(value ?? '')) return;
  const fixes = prefix ? (prefix.valueLoc ? [fix('Set message_prefix empty', [replaceAt(prefix.valueLoc, '')], true)] : [])
    : [fix('Set message_prefix empty', [insertOptionLine(ctx, t, 'message_prefix =', o)], true)];
  out.push(finding('link/deliver-command', (prefix?.valueLoc ?? at).file, (prefix?.valueLoc ?? at).range,
    `Transport ${t.name} pipes the message to Cyrus's deliver after ${prefix ? 'a message_prefix that is' : 'the pipe transport\'s default message_prefix,'} a "From " line, which deliver refuses as an invalid header ("Message contains invalid header", exit 65): every message to Cyrus bounces. Set message_prefix empty.`,
    { severity: 'warning', fixes }));
}

export function checkDeliverCommand(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  for (const c of cyrusTransports(ctx)) {
    if (c.kind !== 'command') continue;
    // An expanded program is known only at delivery.
    if (cyrusProgram(c.command).program.includes('$')) continue;
    const driver = (c.transport.driver ?? '').trim();
    if (driver === 'lmtp') lmtpCommand(c.transport, c.commandOpt, out);
    // A pipe's command is one only when it runs deliver (cyrusTransport).
    else if (driver === 'pipe') pipeCommand(ctx, c.transport, c.commandOpt, out);
  }
  return out;
}
