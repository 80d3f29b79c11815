// Character classes of the C locale, as Cyrus's readers test them, by character code (NaN,
// past the end of a string, is in none). A table rather than range tests: the readers test
// every character of a file, and a lookup does not mispredict at each word's edge.
const ALNUM = 1, NAME = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  CLASS[c] = (alnum ? ALNUM | NAME : 0) | (c === 45 || c === 95 ? NAME : 0);
}

/** isspace: space, \t \n \v \f \r. */
export const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** isalnum: ASCII letters and digits. */
export const isAlnum = (c: number): boolean => c < 128 && (CLASS[c] & ALNUM) !== 0;
/** A letter, digit, '-' or '_': what libconfig takes in an imapd.conf name. */
export const isNameChar = (c: number): boolean => c < 128 && (CLASS[c] & NAME) !== 0;
