// How an smtp transport's `port` option becomes a port number. Exim reads a value that starts
// with a digit with C's strtol in base 0 (so a leading "0x" is hexadecimal and a leading "0"
// octal), refuses it at delivery when characters follow the number, and stores it in an int
// that the socket code cuts to 16 bits (`port = 70000` connects to 4464, seen with exim4
// -odf). Anything else is a service name for getservbyname(). A port on a host item
// (`host::2003`) is read otherwise: decimal digits only (routing.ts).

export type PortOption =
  /** A number: `port` is where Exim connects; `written` is the value before the cut to 16 bits. */
  | { kind: 'number'; port: number; written: bigint; octal: boolean }
  /** Starts with a digit but is no number as strtol reads it: every delivery is deferred. */
  | { kind: 'invalid' }
  /** A service name (or an expansion, which this does not read). */
  | { kind: 'name' };

const LONG_MAX = (1n << 63n) - 1n;

export function readPortOption(text: string): PortOption {
  if (!/^\d/.test(text)) return { kind: 'name' };
  let written: bigint;
  let octal = false;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) written = BigInt(text);
  else if (/^0[0-7]*$/.test(text)) { written = text.length > 1 ? BigInt('0o' + text.slice(1)) : 0n; octal = text.length > 1; }
  else if (/^[1-9]\d*$/.test(text)) written = BigInt(text);
  else return { kind: 'invalid' };
  // strtol saturates; the int it lands in and htons() keep the low 16 bits.
  const saturated = written > LONG_MAX ? LONG_MAX : written;
  return { kind: 'number', port: Number(saturated & 0xffffn), written, octal };
}
