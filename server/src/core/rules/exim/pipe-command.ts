// A pipe transport's own `command` that its own options forbid (pipe.c,
// set_up_direct_command; each seen with exim4 -odf): with allow_commands set, a command
// not named there is refused ("... command not permitted by T transport") unless
// restrict_to_path lets a name without "/" through; with restrict_to_path, a command
// with "/" in it is refused ("/" found in ... - failed for security reasons). Either way
// every address the transport gets bounces. Only a command and list written out are
// judged, and not with use_shell (which pipe.c refuses beside both). Pipes from a redirect
// router's forward files bring their own command, and are not this rule's business.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, onOpt, writtenValue } from './instance-options';
import { locOfText, spansText, splitList } from './lists';
import { runTime } from './suggest';
import { splitCommand } from '../../exim/strings';

export function checkPipeCommands(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'pipe' || onOpt(t, 'use_shell')) continue;
    const cmd = given(t, 'command');
    // The program is judged when it is written out; its arguments may be built at delivery.
    const program = cmd?.value !== undefined && !cmd.negated && cmd.valueLoc ? splitCommand(cmd.value)[0]?.value : undefined;
    if (!cmd || !program || /[$\\]/.test(program)) continue;
    const restrict = onOpt(t, 'restrict_to_path');
    const allowSetting = given(t, 'allow_commands');
    const allow = writtenValue(allowSetting);
    // allow_commands with an expansion in it: what it allows is not known here.
    if (allowSetting && allow === undefined) continue;
    if (allow !== undefined && splitList(allow).some((it) => it.text === program)) continue;
    const slash = program.includes('/');
    // Not listed: restrict_to_path refuses a program with "/" and lets the others through;
    // without it, only allow_commands refuses.
    if (restrict ? !slash : allow === undefined) continue;
    const at = locOfText(cfg, cmd.valueLoc!, program);
    let fixes: Fix[] | undefined;
    // Written out as it stands on one line: the fix adds the program at its end.
    if (allowSetting?.valueLoc && allow !== undefined && spansText(cfg, allowSetting.valueLoc, allow)) {
      const end = allowSetting.valueLoc.range.end;
      fixes = [{ title: `Add ${program} to allow_commands`, preferred: true, edits: [{ file: allowSetting.valueLoc.file, range: { start: end, end }, newText: `${allow.trim() ? ' : ' : ''}${program}` }] }];
    }
    const why = restrict && slash
      ? `restrict_to_path is on, and the command "${program}" has a "/" in it${allow !== undefined ? ' and is not in allow_commands' : ''}: Exim refuses to run it ("/" found in ... - failed for security reasons)`
      : `allow_commands does not name "${program}", the program of its command: Exim refuses to run it ("${program}" command not permitted by ${t.name} transport)`;
    out.push(finding('exim/invalid-value', at.file, at.range, `In ${describe(t)}, ${why}, and every address the transport gets bounces.${fixes ? ` Add "${program}" to allow_commands${restrict ? ', or write the command without its directory' : ''}.` : ' Write the command without its directory, or list it in allow_commands.'}`, runTime(fixes)));
  }
  return out;
}
