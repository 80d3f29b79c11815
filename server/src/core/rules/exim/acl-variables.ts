// exim/acl-empty-variable: a variable an ACL reads where Exim never sets it. Each ACL runs at
// some SMTP stages, and some variables belong to others: $domain and $local_part to the one
// recipient being checked (RCPT, VRFY, PRDR), headers and body to a message that has arrived
// (DATA and after), $recipients to the end of the envelope (PREDATA and after), the HELO name
// to after HELO. Elsewhere they expand to nothing, without an error, so a test of them quietly
// never matches (seen with exim4 -bh, Exim 4.96: $domain and $local_part empty in the MAIL,
// PREDATA and DATA ACLs, even after verify = sender; $h_subject: and $message_body empty up
// to PREDATA; $recipients empty up to RCPT; $sender_helo_name empty at connect; $mime_content_type
// and the other MIME part variables empty in the RCPT and DATA ACLs, before and after a MIME
// ACL ran, $mime_part_count aside, which keeps its last count). The sender's address is empty
// before MAIL: at HELO (exim4 -bh, even after a message of the same session), and at connect
// for a client of the daemon (exim4 -bdf; -bh and a local -bs session start with the
// caller's own address there, so that case says "for a client over the network"). The
// message's id is empty before DATA in a session's first transaction, and the previous
// message's in each later one (exim4 -bh: MAIL, RCPT, VRFY, PREDATA and HELO after a message).
//
// An ACL is judged only where every way it is run is known: one that an expanded option or
// condition may select, or that ${acl {NAME}} or ${if acl {{NAME}}} runs, is left alone. $domain_data and
// $local_part_data are left out: whether what a lookup put there outlives the RCPT command
// was not seen.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { Acl, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { walkExpansion } from '../../exim/expansion-parser';
import { aclWheres, SELECTING_OPTIONS } from './acl-where';

interface Family {
  /** Whether a variable (name as written after "$") belongs to the family. */
  has: (name: string) => boolean;
  /** The stages (ACL_WHERE tokens) where Exim never sets it. */
  unset: ReadonlySet<string>;
  why: string;
  advice: (stages: ReadonlySet<string>) => string;
  /** Stages where a session run locally (exim -bs) has it set after all, and what to say of that. */
  locally?: { stages: ReadonlySet<string>; note: string };
  /** What the variable holds at these stages, when it is not simply empty every time. */
  holds?: (stages: ReadonlySet<string>) => string | undefined;
}

const RECIPIENT = new Set(['domain', 'local_part', 'local_part_prefix', 'local_part_suffix', 'local_part_prefix_v', 'local_part_suffix_v']);
const MESSAGE = new Set(['message_body', 'message_body_end', 'message_headers', 'message_headers_raw', 'body_linecount', 'body_zerocount', 'message_linecount']);
const SENDER = new Set(['sender_address', 'sender_address_domain', 'sender_address_local_part']);
const HEADER = /^(?:b|r|l)?h(?:eader)?_|^(?:bheader|rheader|lheader)_/;
const BEFORE_DATA = ['connect', 'helo', 'mail', 'rcpt', 'predata', 'starttls', 'auth', 'vrfy', 'expn', 'etrn'];

const FAMILIES: Family[] = [
  {
    has: (n) => RECIPIENT.has(n),
    unset: new Set(['connect', 'helo', 'mail', 'predata', 'data', 'mime', 'dkim', 'notsmtp', 'notsmtp_start', 'starttls', 'auth']),
    why: 'Exim sets it only while it checks one recipient (RCPT, VRFY, PRDR)',
    advice: (at) => ['predata', 'data', 'mime', 'dkim', 'notsmtp'].some((w) => at.has(w))
      ? 'Test each recipient in the RCPT ACL (acl_smtp_rcpt), or look through $recipients here.' : 'Test each recipient in the RCPT ACL (acl_smtp_rcpt).',
  },
  {
    has: (n) => MESSAGE.has(n) || HEADER.test(n),
    unset: new Set(BEFORE_DATA),
    why: 'the message has not arrived yet (headers and body exist from the DATA ACL on)',
    advice: () => 'Test it in the DATA ACL (acl_smtp_data) or the MIME ACL.',
  },
  {
    has: (n) => n.startsWith('mime_') && n !== 'mime_part_count',
    unset: new Set(['connect', 'helo', 'mail', 'rcpt', 'predata', 'data', 'starttls', 'auth', 'vrfy', 'expn', 'etrn']),
    why: 'Exim sets the MIME part variables only while its MIME ACL looks at one part of the message',
    advice: () => 'Test the parts in the MIME ACL (acl_smtp_mime), which Exim runs once for each part.',
  },
  {
    // receive_msg clears the id as the message starts arriving, not at MAIL: a session's later
    // transactions see the one before's until their own DATA (exim4 -bh).
    has: (n) => n === 'message_id' || n === 'message_exim_id',
    unset: new Set(BEFORE_DATA),
    holds: (at) => [...at].every((w) => w === 'connect') ? undefined
      : 'empty here for the first message of a session, and the previous message\'s id for each one after it',
    why: 'Exim gives a message its id only as it arrives (from the DATA ACL on)',
    advice: () => 'Use it in the DATA ACL (acl_smtp_data) or later.',
  },
  {
    has: (n) => n === 'recipients',
    unset: new Set(['connect', 'helo', 'mail', 'rcpt', 'starttls', 'auth', 'vrfy', 'expn', 'etrn']),
    why: 'Exim fills it once all recipients are known (from the PREDATA ACL on; in the RCPT ACL it is still empty)',
    advice: () => 'Use it in the PREDATA or DATA ACL, or test $local_part@$domain in the RCPT ACL.',
  },
  {
    has: (n) => n === 'sender_helo_name',
    unset: new Set(['connect']),
    why: 'the client has not sent HELO or EHLO yet',
    advice: () => 'Test it in the HELO ACL (acl_smtp_helo) or later.',
  },
  {
    has: (n) => SENDER.has(n),
    unset: new Set(['connect', 'helo']),
    why: 'the client has sent no MAIL command yet (HELO starts a new transaction)',
    advice: () => 'Test the sender in the MAIL ACL (acl_smtp_mail) or later.',
    locally: { stages: new Set(['connect']), note: 'Only a local `exim -bs` session starts with the caller as sender at connect.' },
  },
];

const STAGE_NAMES: Record<string, string> = {
  connect: 'connect', helo: 'HELO', mail: 'MAIL', rcpt: 'RCPT', predata: 'PREDATA', data: 'DATA', mime: 'MIME', dkim: 'DKIM',
  notsmtp: 'non-SMTP', notsmtp_start: 'non-SMTP start', starttls: 'STARTTLS', auth: 'AUTH', vrfy: 'VRFY', expn: 'EXPN', etrn: 'ETRN',
};

/**
 * The item `${acl {NAME}…}` and the condition `${if acl {{NAME}…}…}` in any text: the name is
 * the first argument (the condition's is inside a second brace).
 */
const EXPANSION_ACL_CALL = /\bacl\s*\{\s*(?:\{\s*)?([^{}]*)/g;

/** ACL names that may be run in ways aclWheres cannot see: ${acl {NAME}}, ${if acl {{NAME}}}, an expanded selection or call. */
function unseenlyRun(cfg: EximConfig): { all: boolean; names: string } {
  let names = '';
  for (const s of cfg.main) if (SELECTING_OPTIONS.has(s.name) && s.value?.includes('$')) names += ` ${s.value}`;
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) {
    if (it.name === 'acl' && it.value?.includes('$')) names += ` ${it.value}`;
  }
  for (const f of cfg.files.values()) {
    if (!f.text.includes('acl')) continue;
    for (const m of f.text.matchAll(EXPANSION_ACL_CALL)) {
      if (m[1].includes('$')) return { all: true, names };
      names += ` ${m[1]}`;
    }
  }
  return { all: false, names };
}

export function checkAclVariables(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  if (!cfg.acls.length) return [];
  const wheres = aclWheres(cfg);
  if (!wheres.size) return [];
  const unseen = unseenlyRun(cfg);
  if (unseen.all) return [];
  const out: Finding[] = [];
  const byName = new Map<string, Acl>();
  for (const a of cfg.acls) byName.set(a.name, a);
  for (const [name, uses] of wheres) {
    const acl = byName.get(name);
    if (!acl || (unseen.names.includes(name) && new RegExp(`(^|[^\\w-])${name.replace(/[^\w]/g, '\\$&')}($|[^\\w-])`).test(unseen.names))) continue;
    const families = FAMILIES.filter((f) => uses.every((u) => f.unset.has(u.where)));
    if (!families.length) continue;
    const at = new Set(uses.map((u) => u.where));
    const stages = [...at].map((w) => STAGE_NAMES[w] ?? w).join(', ');
    const how = uses.map((u) => u.option).filter((o, i, all) => all.indexOf(o) === i).join(', ');
    for (const st of acl.statements) for (const it of st.items) {
      if (!it.expansion || !it.valueLoc) continue;
      for (const n of walkExpansion(it.expansion)) {
        if (n.kind !== 'variable') continue;
        const fam = families.find((f) => f.has(n.name));
        if (!fam) continue;
        const local = fam.locally && [...at].some((w) => fam.locally!.stages.has(w)) ? fam.locally.note : undefined;
        const holds = local ? 'empty here for every client over the network' : fam.holds?.(at) ?? 'always empty here';
        out.push(finding('exim/acl-empty-variable', it.valueLoc.file, n.range,
          `$${n.name} is ${holds}: ACL "${acl.name}" runs only at ${stages} (${how}), and ${fam.why}. ${fam.advice(at)}${local ? ` ${local}` : ''}`));
      }
    }
  }
  return out;
}
