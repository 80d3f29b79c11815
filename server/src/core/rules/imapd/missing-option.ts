// imapd/missing-option: what Cyrus 3.6 cannot run without (each seen with the real one; an
// error when Cyrus does not start, a warning when it starts and then fails):
// - configdirectory: every program stops at start ("fatal error: configdirectory option not
//   specified in configuration file", exit 78; `cyr_info conf-lint` says so too);
// - a partition-NAME for the partition new mailboxes go to: with none at all, CREATE answers
//   "NO Unknown/invalid partition"; with defaultpartition naming one that is not there,
//   imapd drops the connection at CREATE.
// A file that fails to @include, or is not read, may hold them, and a line Cyrus cannot read (imapd/syntax,
// which stops it anyway) may be meant as one of them: then nothing is said.
import { finding, type Finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';

/** Cyrus starts; what fails is the first CREATE. */
const RUN_TIME = { severity: 'warning' as const };

export function checkMissingOption(conf: ImapdConf): Finding[] {
  if (conf.parseFindings.some((f) => f.severity === 'error')) return [];
  // A relative @include is reported and not read (imapd/invalid-value): it may hold them.
  if (conf.files.length - 1 < conf.settings.filter((s) => s.kind === 'include').length) return [];
  const out: Finding[] = [];
  const plain = conf.settings.filter((s) => s.kind !== 'include' && !s.prefix);
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (!plain.some((s) => s.key === 'configdirectory')) {
    out.push(finding('imapd/missing-option', conf.file, top,
      'configdirectory is not set: every Cyrus program stops at start ("fatal error: configdirectory option not specified in configuration file"). Add it, e.g. configdirectory: /var/lib/cyrus (Debian\'s).'));
  }
  const partitions = new Set(conf.settings.filter((s) => s.kind === 'partition' && s.key.startsWith('partition-')).map((s) => s.key.slice('partition-'.length)));
  let dflt: typeof plain[number] | undefined;
  for (const s of plain) if (s.key === 'defaultpartition') dflt = s;
  if (!partitions.size) {
    const at = dflt?.nameLoc ?? { file: conf.file, range: top };
    out.push(finding('imapd/missing-option', at.file, at.range,
      `No partition-NAME is set, so Cyrus has nowhere to put a new mailbox: CREATE answers "NO Unknown/invalid partition". Add one, e.g. partition-${dflt?.value.toLowerCase() || 'default'}: /var/spool/cyrus/mail (Debian's).`, RUN_TIME));
  } else if (dflt && /^[A-Za-z0-9]+$/.test(dflt.value) && !partitions.has(dflt.value.toLowerCase())) {
    // (A name of other characters is invalid-value's.)
    out.push(finding('imapd/missing-option', dflt.file, dflt.valueLoc.range,
      `defaultpartition is ${dflt.value}, but there is no partition-${dflt.value}: creating a mailbox fails (imapd drops the connection at CREATE). Name one of the partitions set (${[...partitions].join(', ')}), or add partition-${dflt.value}.`, RUN_TIME));
  }
  return out;
}
