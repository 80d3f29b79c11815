// Debian's update-exim4.conf.conf and the macros update-exim4.conf writes from it. The
// script sources the file as shell, then (for dc_eximconfig_configtype internet, local,
// smarthost or satellite) writes `.ifndef NAME` / `NAME=value` / `.endif` blocks right after
// the `UPEX4CmacrosUPEX4C` line of the template or conf.d: DCconfig_<type> selects the
// routers, MAIN_LOCAL_DOMAINS fills local_domains, and so on. Every value goes through the
// script's `lowercase` and `check_ascii_pipe`, reproduced here as they behave, not as their
// names suggest.

/**
 * The variables a shell script of plain assignments sets (`name=value`, quoted or not,
 * `# comments`), as `. FILE` leaves them: the last assignment of a name wins.
 */
export function shellAssignments(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1], shellWord(m[2]));
  }
  return out;
}

/** The first shell word of `s`, quotes and backslashes removed. */
function shellWord(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === ';' || c === '&' || c === '|') break;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      out += s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && '"\\$`'.includes(s[j + 1] ?? '')) j++;
        out += s[j];
      }
      i = j;
    } else if (c === '\\') {
      out += s[++i] ?? '';
    } else out += c;
  }
  return out;
}

/** `echo $v`: the words of `v` joined by single spaces. */
function words(v: string): string {
  return v.split(/[ \t\n]+/).filter(Boolean).join(' ');
}

/** The script's `lowercase`: `tr 'A-Z' 'a-z'` of the words. */
function lower(v: string): string {
  return words(v).replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/**
 * The script's `check_ascii_pipe`. Its sed bracket expression ends at the first `]`, so it
 * replaces a character outside the list only when a `]` follows it (both become one `_`):
 * in practice it changes almost nothing.
 */
function checkAscii(v: string): string {
  return words(v).replace(/[^-0-9A-Za-z\\\/.!*@_~:;< [\\]\]/g, '_');
}

/** `preprocess_macro`'s treatment of a value. */
const contents = (v: string) => checkAscii(lower(v));

/** The dc_eximconfig_configtype values update-exim4.conf writes macros for. */
const TYPES_WITH_MACROS = ['internet', 'local', 'smarthost', 'satellite'];

export interface DebianMacros {
  /** dc_eximconfig_configtype as the script reads it. */
  configtype: string;
  /** Name → value in the script's order; empty when the config type gets no macros. */
  defines: Record<string, string>;
  /** Macros the script would define from this machine's state, which cannot be known here. */
  unknown: string[];
}

/**
 * The macros update-exim4.conf defines from `ue4cc` (the text of update-exim4.conf.conf)
 * and `mailname` (the text of /etc/mailname, undefined when there is none).
 */
export function debianMacros(ue4cc: string, mailname: string | undefined): DebianMacros {
  const vars = shellAssignments(ue4cc);
  const get = (name: string) => vars.get(name) ?? '';
  const configtype = checkAscii(lower(get('dc_eximconfig_configtype')));
  const defines: Record<string, string> = {};
  const unknown: string[] = [];
  if (!TYPES_WITH_MACROS.includes(configtype)) return { configtype, defines, unknown };
  // `.ifndef NAME` around each: a name the script already wrote keeps its first value.
  const seed = (name: string, value: string) => { if (!(name in defines)) defines[name] = contents(value); };

  // A list with a ";" becomes a "<;" list, unless it already names its separator.
  const semicolons = (v: string) => v.includes(';') && !words(v).startsWith('<') ? `<; ${v}` : v;
  const localInterfaces = semicolons(get('dc_local_interfaces'));
  const relayDomains = semicolons(get('dc_relay_domains'));
  let relayNets = checkAscii(lower(semicolons(get('dc_relay_nets'))));
  relayNets += relayNets.startsWith('<;') ? ' ; 127.0.0.1 ; ::1' : ' : 127.0.0.1 : ::::1';
  const otherHostnames = checkAscii(lower(get('dc_other_hostnames')));
  const localDomains = `@:localhost:${otherHostnames}`.replace(/(?<![;: ])[;: ]+$/, '').replace(/;/g, ':');
  const smarthost = checkAscii(lower(get('dc_smarthost'))).replace(/;/g, ':');
  const readhost = checkAscii(lower(get('dc_readhost')));
  const hideMailname = (configtype === 'satellite' || configtype === 'smarthost')
    && checkAscii(lower(get('dc_hide_mailname'))) === 'true' && readhost !== '';
  // The first word of /etc/mailname's first line.
  const firstLine = (mailname ?? '').split('\n')[0];
  const etcMailname = checkAscii(lower(firstLine.replace(/([-A-Za-z0-9@.]+).*/, '$1')));

  if (localInterfaces !== '') seed('MAIN_LOCAL_INTERFACES', localInterfaces);
  if (get('dc_minimaldns') === 'true') {
    seed('DC_minimaldns', '1');
    // From `hostname --fqdn` on the machine that runs update-exim4.conf.
    unknown.push('MAIN_HARDCODE_PRIMARY_HOSTNAME');
  }
  if (hideMailname) seed('HIDE_MAILNAME', '1');
  // MAIN_PACKAGE_VERSION, the exim4-config version, is left out: it is not known here, and
  // Debian's configs do not use it.
  seed('MAIN_LOCAL_DOMAINS', localDomains);
  seed('MAIN_RELAY_TO_DOMAINS', relayDomains);
  seed('ETC_MAILNAME', etcMailname);
  seed('LOCAL_DELIVERY', get('dc_localdelivery') || 'mail_spool');
  seed('MAIN_RELAY_NETS', relayNets);
  seed('DCreadhost', readhost);
  seed('DCsmarthost', smarthost);
  seed('DC_eximconfig_configtype', configtype);
  seed(`DCconfig_${configtype}`, '1');
  // Lines of update-exim4.conf.conf starting with an upper-case letter become macros too.
  for (const raw of ue4cc.split(/\r?\n/)) {
    if (!/^[A-Z]/.test(raw) || raw.startsWith('CFILEMODE=')) continue;
    const line = words(raw);
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim();
    if (/^[A-Z][A-Za-z0-9_]*$/.test(name)) seed(name, line.slice(eq + 1));
  }
  return { configtype, defines, unknown };
}
