// Markdown shown for Exim names in hovers and completion details. Facts come from the
// catalog; the wording here is ours.
import { specUrl, versionNote, type EximOptionInfo } from '../catalog/exim';
import { factLines } from './markdown';

const SECTION_LABEL: Record<string, string> = {
  main: 'main section', routers: 'every router', transports: 'every transport', authenticators: 'every authenticator',
};

export function optionDoc(o: EximOptionInfo, scope?: string): string {
  const where = SECTION_LABEL[o.use] ?? `the \`${o.use}\` driver`;
  const lines = [
    `**${o.name}** — ${o.type}${o.expanded ? ', expanded' : ''}`,
    '',
    `Default: \`${o.default || 'unset'}\``,
    `Valid in: ${where}${o.generic ? ' (generic option)' : ''}`,
  ];
  if (o.default496 !== undefined) lines.push(`Default in Exim 4.96: \`${o.default496}\``);
  const v = versionNote(o);
  lines.push(`Exim: ${v || 'in 4.96 and later'}${o.guard && !v.includes(o.guard) ? ` (needs a build with \`${o.guard}\`)` : ''}`);
  if (o.values) lines.push(`Values: ${o.values.map((x) => '`' + x + '`').join(', ')}`);
  if (o.listKind) lines.push(`A ${o.listKind.replace('list', ' list')}: \`+name\` refers to a \`${o.listKind}\`.`);
  if (o.valueType === 'bool') lines.push(`Boolean: write \`${o.name}\` to set it, \`no_${o.name}\` to clear it.`);
  if (o.type === 'time' && o.valueType === 'int') {
    const secs = /^(\d+)s$/.exec(o.default ?? '')?.[1];
    lines.push(`Read as a whole number of seconds${secs ? `: write \`${secs}\`, not \`${o.default}\`` : ''} (Exim refuses a time here, though its documentation calls it one).`);
  }
  if (o.valueType === 'expand_bool') lines.push(`Boolean: write \`${o.name}\` to set it, \`no_${o.name}\` to clear it, or \`${o.name} = \${…}\` to decide per address.`);
  if (o.hidden) lines.push('Hidden option (not normally set by hand).');
  lines.push('', `[Exim specification](${specUrl(scope && scope !== o.use ? o.use : o.use, o.name)})`);
  return factLines(lines);
}
