// Tables of ours are plain objects, and the names users write index them: a driver, program,
// service or condition called "constructor", "toString" or "__proto__" would find what every
// JavaScript object inherits (a function, or Object.prototype) instead of no entry.
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
