// The SASL library's options most set in imapd.conf (as `sasl_` + the option), from Cyrus
// SASL's options documentation: imapd.conf hands every `sasl_…` key to libsasl, so they
// are not in Cyrus's own option list. For completion and hover only: the names libsasl asks
// for, all of them, are cyrus/sasl-options.ts's (imapd/unknown-option reads them).
export interface SaslOption { name: string; what: string; values?: readonly string[] }

export const SASL_OPTIONS: readonly SaslOption[] = [
  { name: 'sasl_pwcheck_method', what: 'How plain-text passwords are checked.', values: ['auxprop', 'saslauthd', 'pwcheck', 'authdaemond', 'alwaystrue'] },
  { name: 'sasl_mech_list', what: 'The mechanisms offered, separated by spaces (e.g. "PLAIN LOGIN"); empty: every installed one.' },
  { name: 'sasl_auxprop_plugin', what: 'The auxiliary property plugins to ask, in order (e.g. sasldb, sql, ldapdb).' },
  { name: 'sasl_saslauthd_path', what: 'The saslauthd socket, for sasl_pwcheck_method: saslauthd.' },
  { name: 'sasl_sasldb_path', what: 'The sasldb file, for the sasldb auxprop plugin.' },
  { name: 'sasl_auto_transition', what: 'Store other mechanisms\' secrets after a successful plain-text login.', values: ['yes', 'noplain', 'no'] },
  { name: 'sasl_canon_user_plugin', what: 'The plugin that canonicalises user names.' },
  { name: 'sasl_authdaemond_path', what: 'The Courier authdaemond socket, for sasl_pwcheck_method: authdaemond.' },
  { name: 'sasl_keytab', what: 'The Kerberos keytab, for GSSAPI.' },
  { name: 'sasl_log_level', what: 'How much libsasl logs (a number; 1 logs errors).' },
  { name: 'sasl_minimum_layer', what: 'The weakest security layer accepted (0: none).' },
  { name: 'sasl_maximum_layer', what: 'The strongest security layer offered.' },
  { name: 'sasl_sql_engine', what: 'The database of the sql auxprop plugin.', values: ['mysql', 'pgsql', 'sqlite', 'sqlite3'] },
  { name: 'sasl_ldapdb_uri', what: 'The LDAP server(s) of the ldapdb auxprop plugin.' },
];

export function saslOption(key: string): SaslOption | undefined {
  return SASL_OPTIONS.find((o) => o.name === key);
}
