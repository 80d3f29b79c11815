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
    // Master reads only the first section of a kind: renamed to one the file has already,
    // this block would be skipped all the same (cyrus/syntax says so then).
    const existing = guess ? conf.sections.find((x) => x.kind === guess) : undefined;
    const fixes = guess && !existing ? [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: s.headerLoc.range, newText: guess }] }] : undefined;
    const instead = existing ? `move its entries into the ${guess} section at line ${existing.headerLoc.range.start.line + 1}, as master reads only one` : undefined;
    const what = caseOnly
      ? `'${s.name}' is not ${upper} to master, which compares the first letter of a section name exactly: it skips this block, so ${s.entries.length ? 'none of its entries ever run' : 'anything put here never runs'}. ${instead ? `${instead[0].toUpperCase()}${instead.slice(1)}.` : `Write ${upper}.`}`
      : `Unknown section '${s.name}': master reads only START, SERVICES, EVENTS and DAEMON and skips this block.${guess ? ` Did you mean ${guess}?${instead ? ` Then ${instead}.` : ''}` : ''}`;
    out.push(finding('cyrus/unknown-section', conf.file, s.headerLoc.range, what, fixes ? { fixes } : {}));
  }
  return out;
}
