// The options Cyrus SASL 2.1 (the library and the plugins it ships) asks its application for,
// by the names it asks with. Cyrus answers each from imapd.conf's `sasl_<name>`, or
// `<service>_sasl_<name>` for one service (imap/global.c, mysasl_config), so a name written
// here without its prefix reaches neither Cyrus nor libsasl.
export const SASL_LIBRARY_OPTIONS: ReadonlySet<string> = new Set([
  // the library
  'authdaemond_path', 'auto_transition', 'auxprop_plugin', 'canon_user_plugin', 'log_level', 'mech_list',
  'plugin_list', 'pwcheck_method', 'saslauthd_path',
  // GSSAPI, OTP, SRP
  'keytab', 'ccache_store', 'opiekeys', 'otp_mda', 'srp_mda',
  // the sasldb, sql and ldapdb auxprop plugins
  'sasldb_path', 'sasldb_mapsize', 'sasldb_maxreaders',
  'sql_engine', 'sql_hostnames', 'sql_user', 'sql_passwd', 'sql_database', 'sql_select', 'sql_insert', 'sql_update',
  'sql_statement', 'sql_usessl',
  'ldapdb_uri', 'ldapdb_id', 'ldapdb_pw', 'ldapdb_mech', 'ldapdb_rc', 'ldapdb_starttls', 'ldapdb_canon_attr',
]);
