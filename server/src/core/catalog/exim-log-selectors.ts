// `log_selector` names, read by hand from the log_options[] table in Exim's
// src/src/globals.c at exim-4.96 and at HEAD (the reference TSVs do not cover them).
// Exim rejects an unknown name when it loads the config, so the version matters.
const BOTH = `8bitmime acl_warn_skipped address_rewrite all all_parents arguments connection_reject delay_delivery
deliver_time delivery_size dkim dkim_verbose dnslist_defer dnssec etrn host_lookup_failed ident_timeout
incoming_interface incoming_port lost_incoming_connection millisec msg_id msg_id_created outgoing_interface
outgoing_port pid pipelining protocol_detail proxy queue_run queue_time queue_time_exclusive queue_time_overall
receive_time received_recipients received_sender rejected_header rejected_headers retry_defer
return_path_on_delivery sender_on_delivery sender_verify_fail size_reject skip_delivery smtp_confirmation
smtp_connection smtp_incomplete_transaction smtp_mailauth smtp_no_mail smtp_protocol_error smtp_syntax_error
subject tls_certificate_verified tls_cipher tls_peerdn tls_resumption tls_sni unknown_in_list`.split(/\s+/);
/** Added after 4.96. */
const NEWER = ['connection_id', 'dmarc', 'dmarc_verbose', 'spf', 'spf_verbose', 'tls_on_connect'];

const LATEST = [...BOTH, ...NEWER].sort();

/** Sorted once: each log_selector setting asks. */
export function logSelectorNames(version: 'latest' | '4.96'): readonly string[] {
  return version === '4.96' ? BOTH : LATEST;
}

export function isNewerLogSelector(name: string): boolean {
  return NEWER.includes(name);
}
