/**
 * Adds `items` to the end of `into`. `into.push(...items)` passes every item as an argument,
 * and past ~120,000 of them (findings of a generated or pathological config) the call
 * overflows the stack; a loop has no such limit.
 */
export function append<T>(into: T[], items: Iterable<T>): T[] {
  for (const x of items) into.push(x);
  return into;
}
