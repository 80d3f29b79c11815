// imapd/invalid-value: values libconfig rejects (Cyrus refuses to start) or warns about,
// and an @include path that depends on the working directory.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { ImapdConf, ImapdSetting } from '../../cyrus/model';
import { imapdOption } from '../../catalog/cyrus';
import { parseByteSize, parseDuration, parseImapdInt, parseSwitch } from '../../cyrus/values';
import { closest } from '../../cyrus/suggest';
import { syncChannels } from '../../cyrus/facts';

const ON = ['1', 'yes', 't', 'true'], OFF = ['0', 'no', 'f', 'false'];

export function checkInvalidValue(conf: ImapdConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  let channels: Set<string> | undefined;
  for (const s of conf.settings) {
    if (s.kind === 'include' && !s.value.startsWith('/')) {
      out.push(finding('imapd/invalid-value', s.file, s.valueLoc.range,
        `Cyrus opens '${s.value}' from its working directory, not from this file's: master started by init runs in /, and its services in {configdirectory}/cores (or {configdirectory}), so each may read another file or none and refuse to start. Write an absolute path.`));
      continue;
    }
    const comment = trailingComment(s.value);
    if (comment !== undefined && (s.kind === 'partition' || (s.kind === 'option' && imapdOption(s.option, opts.cyrusVersion)?.type === 'STRING'))) {
      out.push(commentFinding(conf, s, comment));
      continue;
    }
    if (s.kind !== 'option') continue;
    const info = imapdOption(s.option, opts.cyrusVersion);
    if (!info) continue;
    const v = s.value;
    // The value's place, worked out only for a finding: most values are fine.
    let placed: Finding['range'] | undefined;
    const r = () => (placed ??= s.valueLoc.range);
    const prefix = s.prefix;
    // A sync channel's setting (<channel>_sync_...) that sync_client cannot read is dropped for
    // the global one (sync_get_durationconfig and its kin); a service's (<service>_...) is
    // read only by that service's processes, which refuse to start on it (cyr_info -n
    // SERVICE exits 78) while master and every other service read past it.
    const channel = prefix !== undefined && s.option.startsWith('sync_') && (channels ??= syncChannels(conf)).has(prefix);
    const refuses = prefix === undefined ? 'Cyrus refuses to start'
      : channel ? `sync_client ignores it for channel '${prefix}' and uses ${s.option} instead`
      : `the '${prefix}' service refuses to start (master and the other services read past it)`;
    // libconfig takes a value as written: quotes around it are characters of it.
    const quoted = v.length >= 2 && v.startsWith('"') && v.endsWith('"') && !v.slice(1, -1).includes('"');
    const unquote = (): Partial<Finding> => ({ fixes: [{ title: 'Remove the quotes', preferred: true, edits: [{ file: s.file, range: r(), newText: v.slice(1, -1) }] }] });
    const bad = (msg: string, extra: Partial<Finding> = {}) => out.push(finding('imapd/invalid-value', s.file, r(),
      quoted ? `${msg} Cyrus reads imapd.conf values as written, and the quotes are part of this one: remove them.`
        : comment !== undefined ? `${msg} (Cyrus has no comments after a value: '${v.slice(comment)}' is part of it.)` : msg,
      { ...(quoted ? unquote() : extra), ...(channel ? { severity: 'warning' as const } : {}) }));
    if (quoted && info.type === 'STRING') {
      out.push(finding('imapd/invalid-value', s.file, r(),
        `Cyrus reads imapd.conf values as written, so ${s.rawName} is '${v}', quotes included${v[1] === '/' ? ': a path that starts with a quote, so Cyrus looks for it from its working directory and finds nothing there (with configdirectory quoted, ctl_cyrusdb stops with "can\'t read mailboxes file")' : ''}. Remove the quotes.`,
        { ...unquote(), severity: 'warning' }));
      continue;
    }
    switch (info.type) {
      case 'INT':
        if (parseImapdInt(v) === undefined) {
          const octal = /^0[0-9]*[89]/.test(v) ? ' (a leading 0 makes it octal, where 8 and 9 are not digits)' : '';
          bad(`'${v}' is not an integer${octal}: ${refuses}. ${s.rawName} takes a whole number.`);
        }
        break;
      case 'SWITCH':
        if (parseSwitch(v) === undefined) bad(`'${v}' is not a switch: ${refuses}. Write yes or no (or on/off, true/false, 1/0).`);
        break;
      case 'ENUM': {
        const e = ON.includes(v) ? 'on' : OFF.includes(v) ? 'off' : v;
        if (!info.allowed.includes(e)) bad(`'${v}' is not a value of ${info.name}: ${refuses}. Allowed: ${info.allowed.join(', ')}.`, fixFor(v, info.allowed, s.file, r()));
        break;
      }
      case 'STRINGLIST':
        if (!info.allowed.includes(v)) bad(`'${v}' is not a value of ${info.name}: ${refuses}. Give exactly one of: ${info.allowed.join(', ')}.`, fixFor(v, info.allowed, s.file, r()));
        break;
      case 'BITFIELD': {
        const line = s.valueLoc.range.start.line;
        let col = s.valueLoc.range.start.character;
        for (const m of v.matchAll(/\S+/g)) {
          const word = m[0];
          const wr = s.valueLoc.range.start.line === s.valueLoc.range.end.line
            ? { start: { line, character: col + m.index! }, end: { line, character: col + m.index! + word.length } } : r();
          if (!info.allowed.includes(word)) {
            out.push(finding('imapd/invalid-value', s.file, wr, `'${word}' is not a value of ${info.name}: ${refuses}. Allowed: ${info.allowed.join(', ')}.`, fixFor(word, info.allowed, s.file, wr)));
          } else if (info.aliases.has(word)) {
            const pref = info.aliases.get(word)!;
            out.push(finding('imapd/invalid-value', s.file, wr, `'${word}' is an old spelling; Cyrus accepts it with a warning. Write '${pref}'.`,
              { severity: 'warning', fixes: [{ title: `Change to ${pref}`, preferred: true, edits: [{ file: s.file, range: wr, newText: pref }] }] }));
          }
        }
        col = 0;
        break;
      }
      case 'DURATION': {
        const d = parseDuration(v, opts.cyrusVersion === '3.6' ? 's' : info.unit, opts.cyrusVersion === '3.6');
        if ('error' in d) bad(`'${v}' is not a duration (${d.error}): ${refuses}. Write a number with units d, h, m, s, e.g. 1h30m${info.unit ? `; a bare number is in ${unitName(info.unit)}` : ''}.`);
        break;
      }
      case 'BYTESIZE': {
        const b = parseByteSize(v, info.unit);
        if ('error' in b) bad(`'${v}' is not a size (${b.error}): ${refuses}. Write a number with K, M or G, e.g. 512K${info.unit ? `; a bare number is in ${unitName(info.unit)}` : ''}.`);
        break;
      }
      case 'STRING':
        if (s.option === 'defaultpartition' && !/^[A-Za-z0-9]+$/.test(v)) bad(`defaultpartition must be letters and digits only: ${refuses}.`);
        break;
    }
  }
  return out;
}

/** Where " #…" starts in a value, if it holds one: libconfig has no comment after a value. */
function trailingComment(v: string): number | undefined {
  const m = /\s#/.exec(v);
  return m ? m.index : undefined;
}

/**
 * A string or path with " # note" after it: Cyrus keeps the note in the value (cyr_info
 * conf shows `configdirectory: /var/lib/cyrus # note`), so the path names nothing. The fix
 * moves the note to a comment line of its own above, where a single-line value allows.
 */
function commentFinding(conf: ImapdConf, s: ImapdSetting, at: number): Finding {
  const v = s.value, r = s.valueLoc.range;
  const note = v.slice(at).trim();
  const path = v.startsWith('/') ? ', a path that names nothing there' : '';
  const line = conf.files.find((f) => f.path === s.file)?.lines.lineText(s.loc.range.start.line);
  const single = r.start.line === r.end.line && line !== undefined && line.slice(r.start.character, r.end.character) === v;
  const fixes = single ? [{
    title: 'Move the comment to a line of its own', preferred: true,
    edits: [
      { file: s.file, range: { start: { line: r.start.line, character: 0 }, end: { line: r.start.line, character: 0 } }, newText: `${note}\n` },
      { file: s.file, range: { start: { line: r.start.line, character: r.start.character + at }, end: r.end }, newText: '' },
    ],
  }] : undefined;
  return finding('imapd/invalid-value', s.file, { start: { line: r.start.line, character: r.start.character + (single ? at : 0) }, end: r.end },
    `Cyrus has no comments after a value: everything after ':' is the value, so ${s.rawName} is '${v}'${path}. If that was meant as a comment, put it on a line of its own.`,
    { severity: 'warning', ...(fixes ? { fixes } : {}) });
}

function unitName(u: string): string {
  return ({ d: 'days', h: 'hours', m: 'minutes', s: 'seconds', B: 'bytes', K: 'kibibytes', M: 'mebibytes', G: 'gibibytes' } as Record<string, string>)[u] ?? u;
}

function fixFor(v: string, allowed: string[], file: string, range: Finding['range']): Partial<Finding> {
  const g = allowed.find((a) => a.toLowerCase() === v.toLowerCase()) ?? closest(v, allowed);
  return g ? { fixes: [{ title: `Change to ${g}`, preferred: true, edits: [{ file, range, newText: g }] }] } : {};
}
