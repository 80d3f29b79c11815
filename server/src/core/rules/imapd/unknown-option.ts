// imapd/unknown-option: Cyrus keeps a name it does not know without a word and never uses
// it, so a misspelt option silently keeps its default. Names Cyrus looks up by pattern
// (partition-…, sasl_…, a service or channel prefix) are known; `cyr_info conf-lint`
// draws the same line.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf, ImapdConf, ImapdSetting } from '../../cyrus/model';
import { imapdOption, imapdOptionAnyVersion, imapdOptions, RETIRED_IMAPD_OPTIONS } from '../../catalog/cyrus';
import { closest } from '../../cyrus/suggest';
import { CYRUS_PROGRAMS } from '../../cyrus/programs';
import { syncChannels } from '../../cyrus/facts';
import { SASL_LIBRARY_OPTIONS } from '../../cyrus/sasl-options';

const namesCache = new Map<string, string[]>();
function names(version: CheckOptions['cyrusVersion']): string[] {
  let n = namesCache.get(version);
  if (!n) namesCache.set(version, n = imapdOptions(version).map((o) => o.name));
  return n;
}

function renameFix(conf: ImapdConf, s: ImapdSetting, newName: string) {
  return { fixes: [{ title: `Change to ${newName}`, preferred: true, edits: [{ file: s.file, range: s.nameLoc.range, newText: newName }] }] };
}

/** Another setting of `name`: renamed onto it, `s` would set it twice (imapd/duplicate-option), and Cyrus would not start. */
function setElsewhere(conf: ImapdConf, s: ImapdSetting, name: string): ImapdSetting | undefined {
  return conf.settings.find((x) => x !== s && x.key === name);
}

function takenText(s: ImapdSetting, name: string, taken: ImapdSetting): string {
  return `'${name}' is already set (${taken.file === s.file ? '' : `${taken.file}, `}line ${taken.nameLoc.range.start.line + 1}), so renaming this line would set it twice, and Cyrus refuses to start then: keep one of the two.`;
}

/**
 * A known option that a `<server>_password` style name (read per Murder server, so never
 * unknown) is one typo away from: the server part has one letter changed or two swapped.
 * `cyr_info conf-lint` reports every such name; a real server name that close to an
 * option's is unlikely, and one a letter longer or shorter (`mupdate2`) is left alone.
 */
function misspeltOption(key: string, v: CheckOptions['cyrusVersion']): { meant: string; server: string } | undefined {
  const suffix = SERVER_SUFFIX.exec(key)?.[0];
  if (!suffix) return undefined;
  for (const name of names(v)) {
    // hostname_password is the manual's own placeholder for the pattern, not an option.
    if (name.length !== key.length || name === key || !name.endsWith(suffix) || name.startsWith('hostname_')) continue;
    let first = -1, diffs = 0;
    for (let i = 0; i < key.length - suffix.length && diffs <= 2; i++) if (key[i] !== name[i]) { if (first < 0) first = i; diffs++; }
    if (diffs === 1 || (diffs === 2 && key[first] === name[first + 1] && key[first + 1] === name[first])) {
      return { meant: name, server: key.slice(0, key.length - suffix.length) };
    }
  }
  return undefined;
}
const SERVER_SUFFIX = /_(password|mechs|client_cert|client_key)$/;

/**
 * Service names a `<service>_` setting may mean when no cyrus.conf is paired: the SERVICES
 * entries of Cyrus's sample cyrus.conf files and of Debian's.
 */
const USUAL_SERVICES: ReadonlySet<string> = new Set([
  'imap', 'imaps', 'pop3', 'pop3s', 'kpop', 'nntp', 'nntps', 'http', 'https', 'lmtp', 'lmtpunix', 'sieve', 'notify',
  'mupdate', 'fud', 'ptloader',
]);

export function checkUnknownOption(conf: ImapdConf, opts: CheckOptions, cyrus?: CyrusConf): Finding[] {
  const out: Finding[] = [];
  const v = opts.cyrusVersion;
  /** Partition names, built when a setting names one. */
  let partitions: Set<string> | undefined;
  const channels = syncChannels(conf);
  // A service's process reads `<service>_` settings (master names it in CYRUS_SERVICE); START,
  // EVENTS and DAEMON programs read their own program name's, which CYRUS_PROGRAMS covers.
  // `cyr_info conf-lint` draws the same line.
  const entryNames = cyrus ? new Set(cyrus.entries.filter((e) => e.section === 'SERVICES').map((e) => e.name.toLowerCase())) : undefined;
  // A name is suggested under a prefix only where something reads settings of that prefix:
  // "jmapauth_allowsetacl" for "jmapauth_allowsasl" would be as ignored as the line itself.
  const readsPrefix = (p: string) => channels.has(p) || CYRUS_PROGRAMS.has(p) || (entryNames ?? USUAL_SERVICES).has(p);
  for (const s of conf.settings) {
    if (s.kind === 'unknown') {
      if (RETIRED_IMAPD_OPTIONS.has(s.key)) continue; // imapd/deprecated-option says so
      const prefix = s.key.includes('_') ? s.key.slice(0, s.key.indexOf('_')) : undefined;
      const rest = prefix ? s.key.slice(prefix.length + 1) : '';
      if (prefix && channels.has(prefix) && imapdOption('sync_' + rest, v)) {
        // sync_client reads a channel's settings as <channel>_sync_<name>.
        const newName = `${prefix}_sync_${rest}`;
        const taken = setElsewhere(conf, s, newName);
        out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
          `sync_client reads channel '${prefix}' settings as '${newName}'; '${s.rawName}' is ignored. ${taken ? takenText(s, newName, taken) : 'Rename it.'}`,
          { severity: 'warning', ...(taken ? {} : renameFix(conf, s, newName)) }));
        continue;
      }
      // A SASL library option written as libsasl names it: Cyrus passes on only sasl_<name>.
      const sasl = SASL_LIBRARY_OPTIONS.has(s.key) ? `sasl_${s.key}`
        : prefix && readsPrefix(prefix) && SASL_LIBRARY_OPTIONS.has(rest) ? `${prefix}_sasl_${rest}` : undefined;
      let guess = sasl ?? closest(s.key, names(v));
      let newName = guess;
      if (!guess && prefix && readsPrefix(prefix)) {
        guess = closest(rest, names(v));
        newName = guess && prefix + '_' + guess;
      }
      // Renamed onto a name already set, the line would be a second setting, which makes
      // Cyrus refuse to start (imapd/duplicate-option): say where the other is instead.
      const taken = newName ? setElsewhere(conf, s, newName) : undefined;
      const also = taken ? ` ${takenText(s, newName!, taken)}` : '';
      const why = sasl ? ' SASL library options take the sasl_ prefix in imapd.conf: Cyrus hands libsasl only the settings named so.' : '';
      out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
        `Unknown option '${s.rawName}': Cyrus ignores it.${why}${newName ? ` Did you mean '${newName}'?` : ''}${also}`,
        newName && !taken ? renameFix(conf, s, newName) : {}));
      continue;
    }
    if (s.kind === 'option' && !imapdOption(s.option, v)) {
      const any = imapdOptionAnyVersion(s.option);
      const when = any?.inLatest && !any.in36 ? `is newer than Cyrus 3.6` : `no longer exists in the newest Cyrus`;
      out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
        `'${s.option}' ${when}, so Cyrus ${v} ignores it. Check the target version (--cyrus-version) or remove it.`));
      continue;
    }
    if (s.kind === 'partition') {
      const m = /^(meta|archive|[a-z0-9_]*search)partition-(.+)$/.exec(s.option);
      if (m && m[1] !== 'backup') partitions ??= new Set(conf.settings.filter((x) => x.kind === 'partition' && /^partition-/.test(x.option)).map((x) => x.option.slice('partition-'.length)));
      if (m && m[1] !== 'backup' && !partitions!.has(m[2])) {
        out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
          `'${s.rawName}' names partition '${m[2]}', but there is no 'partition-${m[2]}': Cyrus ignores it. Add the partition or fix the name.`));
        continue;
      }
    }
    if (s.kind === 'pattern') {
      const near = misspeltOption(s.key, v);
      if (near) {
        const { meant, server } = near;
        const taken = setElsewhere(conf, s, meant);
        out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
          `'${s.rawName}' is not '${meant}': Cyrus reads it as a setting for a Murder server named '${server}', and '${meant}' keeps its default. ${taken ? takenText(s, meant, taken) : `If you meant '${meant}', rename it.`}`,
          { severity: 'warning', ...(taken ? {} : renameFix(conf, s, meant)) }));
        continue;
      }
    }
    if (s.prefix && entryNames && !entryNames.has(s.prefix) && !channels.has(s.prefix) && !CYRUS_PROGRAMS.has(s.prefix) && s.kind !== 'pattern') {
      out.push(finding('imapd/unknown-option', s.file, s.nameLoc.range,
        `'${s.rawName}' is for a service '${s.prefix}', but cyrus.conf has no service of that name (nor is it a program or a sync channel), so it applies to nothing.`,
        { severity: 'warning' }));
    }
  }
  return out;
}
