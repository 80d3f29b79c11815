import type { SectionName } from './model';

const SECTIONS: Record<string, SectionName> = {
  acls: 'acl', authenticators: 'authenticators', local_scans: 'local_scan', retrys: 'retry',
  rewrites: 'rewrite', routers: 'routers', transports: 'transports',
};

/**
 * The section a `begin` line names, as readconf.c reads it: in any case, with or without
 * a final `s` (`begin ACL`, `begin acls`, `begin router`); undefined for no section.
 */
export function sectionNamed(word: string): SectionName | undefined {
  let key = word.toLowerCase();
  if (!key.endsWith('s')) key += 's';
  return Object.hasOwn(SECTIONS, key) ? SECTIONS[key] : undefined;
}
