// cyrus/unknown-section: master only reads START, SERVICES, EVENTS and DAEMON; any other
// block is skipped without a word, so its entries never run. Master compares the first
// letter of the name exactly, so a lower-case `services {` is skipped too.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import { CYRUS_SECTIONS } from '../../catalog/cyrus';
import { closest } from '../../cyrus/suggest';

export function checkUnknownSection(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  for (const s of conf.sections) {
    if (s.kind) continue;
    const upper = s.name.toUpperCase();
    const caseOnly = (CYRUS_SECTIONS as readonly string[]).includes(upper);
    const guess = caseOnly ? upper : closest(upper, CYRUS_SECTIONS);
    const fixes = guess ? [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: s.headerLoc.range, newText: guess }] }] : undefined;
    const what = caseOnly
      ? `'${s.name}' is not ${upper} to master, which compares the first letter of a section name exactly: it skips this block, so ${s.entries.length ? 'none of its entries ever run' : 'anything put here never runs'}. Write ${upper}.`
      : `Unknown section '${s.name}': master reads only START, SERVICES, EVENTS and DAEMON and skips this block.${guess ? ` Did you mean ${guess}?` : ''}`;
    out.push(finding('cyrus/unknown-section', conf.file, s.headerLoc.range, what, fixes ? { fixes } : {}));
  }
  return out;
}
