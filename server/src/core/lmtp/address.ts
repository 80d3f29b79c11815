// Addresses as a callout sends them in `MAIL FROM:<…>` and `RCPT TO:<…>`. Validation
// matters for safety as much as for messages: a line break in an address would let a
// caller smuggle a second command (even DATA) into the conversation.

/** Why `addr` cannot be a recipient, or undefined when it can. A bare local part is allowed (Cyrus's defaultdomain applies). */
export function recipientError(addr: string): string | undefined {
  if (addr === '') return 'an empty recipient address';
  return addressError(addr);
}

/** Why `addr` cannot be a sender; '' and '<>' mean the null sender and are fine. */
export function senderError(addr: string): string | undefined {
  if (addr === '' || addr === '<>') return undefined;
  return addressError(addr);
}

/** The sender as it goes between the angle brackets. */
export function normaliseSender(addr: string | undefined): string {
  return addr === undefined || addr === '<>' ? '' : stripBrackets(addr);
}

export function stripBrackets(addr: string): string {
  return addr.startsWith('<') && addr.endsWith('>') ? addr.slice(1, -1) : addr;
}

function addressError(raw: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return `"${JSON.stringify(raw).slice(1, -1)}" contains a control character or line break`;
  const addr = stripBrackets(raw);
  if (addr.length > 254) return `"${addr.slice(0, 40)}…" is longer than 254 characters`;
  if (/[<>]/.test(addr)) return `"${addr}" has stray angle brackets`;
  let local: string, domain: string | undefined;
  if (addr.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"(@(.*))?$/.exec(addr);
    if (!m) return `"${addr}" has an unterminated quoted local part`;
    local = m[0].slice(0, m[0].length - (m[2]?.length ?? 0));
    domain = m[3];
  } else {
    const at = addr.lastIndexOf('@');
    local = at < 0 ? addr : addr.slice(0, at);
    domain = at < 0 ? undefined : addr.slice(at + 1);
    if (!local) return `"${addr}" has no local part before "@"`;
    if (/[\s"(),:;@[\\\]]/.test(local)) return `"${addr}" has a character that needs quoting in its local part`;
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `"${addr}" has a misplaced dot in its local part`;
  }
  if (local.length > 64) return `the local part of "${addr}" is longer than 64 characters`;
  if (domain !== undefined) {
    if (!domain) return `"${addr}" has no domain after "@"`;
    if (domain.startsWith('[')) {
      if (!/^\[[0-9A-Za-z:.-]+\]$/.test(domain)) return `"${addr}" has a malformed address literal`;
    } else if (!/^[^\s.@]+(\.[^\s.@]+)*\.?$/.test(domain) || /[\s()<>,;:\\"[\]]/.test(domain)) {
      return `"${addr}" has an invalid domain`;
    }
  }
  return undefined;
}

/** The domain of an address, or undefined for a bare local part. */
export function domainOf(addr: string): string | undefined {
  const a = stripBrackets(addr);
  if (a.startsWith('"')) {
    const m = /^"(?:[^"\\]|\\.)*"@(.+)$/.exec(a);
    return m?.[1];
  }
  const at = a.lastIndexOf('@');
  return at < 0 ? undefined : a.slice(at + 1);
}
