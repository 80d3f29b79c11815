// Derived facts the Exim link checks need, read from the Cyrus model.
import { imapdOption } from '../catalog/cyrus';
import type { CyrusConf, Fact, ImapdConf, ImapdFacts, ImapdSetting, LmtpListener } from './model';
import { parseSwitch } from './values';

/** lmtpd services (SERVICES entries whose program is lmtpd) that master can bind. */
export function lmtpListeners(conf: CyrusConf): LmtpListener[] {
  const out: LmtpListener[] = [];
  for (const e of conf.entries) {
    if (e.section !== 'SERVICES' || !e.cmd || e.cmd.tool !== 'lmtpd' || !e.listen) continue;
    out.push({ entry: e, endpoint: e.listen, authRequired: e.listen.kind === 'tcp' && !e.cmd.preauth, cmdLoc: e.cmd.loc });
  }
  return out;
}

/**
 * The setting that decides an option for a service: `<service>_<option>` wins over the
 * plain option (libconfig reads the service-specific form for the running service). SASL's
 * `sasl_*` settings are looked up the same way.
 */
export function imapdSetting(conf: ImapdConf, option: string, service?: string): ImapdSetting | undefined {
  let generic: ImapdSetting | undefined, specific: ImapdSetting | undefined;
  for (const s of conf.settings) {
    if ((s.kind !== 'option' && s.kind !== 'sasl') || s.option !== option) continue;
    if (!s.prefix && !generic) generic = s;
    if (service && s.prefix === service.toLowerCase() && !specific) specific = s;
  }
  return specific ?? generic;
}

/** Whether a TLS file setting leaves TLS off: unset, empty or "disabled" (any case). */
const tlsFileOff = (s: ImapdSetting | undefined): boolean => !s || !s.value || s.value.toLowerCase() === 'disabled';

/**
 * The certificate and key in force for `service` (today's names, else the 2.x
 * tls_cert_file / tls_key_file), whether TLS is on for it (both set, neither "disabled"),
 * and those of the two that are set and turn it off (empty or "disabled").
 */
export function tlsFilesOf(conf: ImapdConf, service?: string): { cert?: ImapdSetting; key?: ImapdSetting; on: boolean; off: ImapdSetting[] } {
  const cert = imapdSetting(conf, 'tls_server_cert', service) ?? imapdSetting(conf, 'tls_cert_file', service);
  const key = imapdSetting(conf, 'tls_server_key', service) ?? imapdSetting(conf, 'tls_key_file', service);
  const off = [cert, key].filter((s): s is ImapdSetting => !!s && tlsFileOff(s));
  return { cert, key, on: !tlsFileOff(cert) && !tlsFileOff(key), off };
}

function fact<T>(conf: ImapdConf, option: string, service: string | undefined, read: (v: string) => T | undefined, dflt: T): Fact<T> {
  const s = imapdSetting(conf, option, service);
  if (s) {
    const v = read(s.value);
    if (v !== undefined) return { value: v, setting: s };
  }
  return { value: dflt };
}

const catalogDefault = (name: string) => {
  const d = imapdOption(name, 'latest')?.default;
  return d === undefined || d === 'NULL' ? undefined : d;
};

/** Effective values (settings for `service` win) of what the link checks need. */
export function imapdFacts(conf: ImapdConf, service?: string): ImapdFacts {
  const str = (v: string) => v;
  const sw = (v: string) => parseSwitch(v);
  const vd = (v: string): 'off' | 'userid' | 'on' | undefined => {
    // ENUM: libconfig maps the switch spellings of on/off first.
    if (['1', 'yes', 't', 'true', 'on'].includes(v)) return 'on';
    if (['0', 'no', 'f', 'false', 'off'].includes(v)) return 'off';
    return v === 'userid' ? 'userid' : undefined;
  };
  const configdirectory = fact<string | undefined>(conf, 'configdirectory', service, str, undefined);
  const withDir = (v: string) => /^\{configdirectory\}/i.test(v) && configdirectory.value !== undefined
    ? configdirectory.value + v.slice('{configdirectory}'.length) : v;
  const sock = fact(conf, 'lmtpsocket', service, str, catalogDefault('lmtpsocket') ?? '{configdirectory}/socket/lmtp');
  return {
    virtdomains: fact(conf, 'virtdomains', service, vd, 'off'),
    defaultdomain: fact<string | undefined>(conf, 'defaultdomain', service, str, undefined),
    unixhierarchysep: fact(conf, 'unixhierarchysep', service, sw, parseSwitch(catalogDefault('unixhierarchysep') ?? '1') ?? true),
    lmtpDowncaseRcpt: fact(conf, 'lmtp_downcase_rcpt', service, sw, parseSwitch(catalogDefault('lmtp_downcase_rcpt') ?? '1') ?? true),
    lmtpsocket: { value: withDir(sock.value), setting: sock.setting },
    configdirectory,
    servername: fact<string | undefined>(conf, 'servername', service, str, undefined),
    admins: fact(conf, 'admins', service, (v) => v.split(/\s+/).filter(Boolean), [] as string[]),
  };
}

/** The sync channels sync_log_channels names: sync_client reads `<channel>_sync_...` settings for each. */
export function syncChannels(conf: ImapdConf): Set<string> {
  return new Set(conf.settings.filter((s) => s.option === 'sync_log_channels').flatMap((s) => s.value.split(/\s+/).filter(Boolean)));
}
