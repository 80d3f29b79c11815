// cyrus/unknown-section: master only reads START, SERVICES, EVENTS and DAEMON; any other
// block is skipped without a word, so its entries never run.
import { finding, type Finding } from '../../diagnostic';
import type { CyrusConf } from '../../cyrus/model';
import { CYRUS_SECTIONS } from '../../catalog/cyrus';
import { closest } from '../../cyrus/suggest';

export function checkUnknownSection(conf: CyrusConf): Finding[] {
  const out: Finding[] = [];
  for (const s of conf.sections) {
    if (s.kind) continue;
    const guess = closest(s.name.toUpperCase(), CYRUS_SECTIONS);
    const fixes = guess ? [{ title: `Change to ${guess}`, preferred: true, edits: [{ file: conf.file, range: s.headerLoc.range, newText: guess }] }] : undefined;
    out.push(finding('cyrus/unknown-section', conf.file, s.headerLoc.range,
      `Unknown section '${s.name}': master reads only START, SERVICES, EVENTS and DAEMON and skips this block.${guess ? ` Did you mean ${guess}?` : ''}`,
      fixes ? { fixes } : {}));
  }
  return out;
}
