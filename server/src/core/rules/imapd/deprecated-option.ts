// imapd/deprecated-option: Cyrus still reads a deprecated option (and logs a warning), but
// when its replacement is set too, the replacement wins and this one is ignored.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { ImapdConf } from '../../cyrus/model';
import { imapdOption, RETIRED_IMAPD_OPTIONS } from '../../catalog/cyrus';

export function checkDeprecatedOption(conf: ImapdConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  /** Every name set, built when a deprecated option with a replacement is met. */
  let set: Set<string> | undefined;
  for (const s of conf.settings) {
    if (s.kind === 'unknown' && RETIRED_IMAPD_OPTIONS.has(s.key)) {
      out.push(finding('imapd/deprecated-option', s.file, s.nameLoc.range,
        `'${s.rawName}' is an option of older Cyrus releases that no longer exists: Cyrus ignores it. Remove the line.`,
        { fixes: [{ title: `Remove ${s.rawName}`, edits: [{ file: s.file, range: { start: { line: s.loc.range.start.line, character: 0 }, end: { line: s.loc.range.end.line + 1, character: 0 } }, newText: '' }] }] }));
      continue;
    }
    if (s.kind !== 'option') continue;
    const info = imapdOption(s.option, opts.cyrusVersion);
    if (!info?.deprecatedSince) continue;
    const since = info.deprecatedSince === 'UNRELEASED' ? 'in the next release' : `since Cyrus ${info.deprecatedSince}`;
    const repl = info.replacedBy;
    if (!repl) {
      out.push(finding('imapd/deprecated-option', s.file, s.nameLoc.range, `'${s.option}' is deprecated ${since} and has no replacement; it will go away. Remove it when you can.`));
      continue;
    }
    const newKey = (s.prefix ? s.prefix + '_' : '') + repl;
    set ??= new Set(conf.settings.map((x) => x.key));
    const shadowed = set.has(newKey) ? ` '${newKey}' is also set, so this line is ignored.` : '';
    const replInfo = imapdOption(repl, opts.cyrusVersion);
    const unitNote = replInfo && replInfo.type !== info.type ? ` Check the value: ${repl} is a ${replInfo.type}.` : '';
    out.push(finding('imapd/deprecated-option', s.file, s.nameLoc.range,
      `'${s.option}' is deprecated ${since}: use '${repl}'.${shadowed}${unitNote}`,
      shadowed ? {} : { fixes: [{ title: `Rename to ${newKey}`, preferred: !unitNote, edits: [{ file: s.file, range: s.nameLoc.range, newText: newKey }] }] }));
  }
  return out;
}
