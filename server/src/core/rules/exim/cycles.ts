// Loops in a graph of names (ACLs calling ACLs, named lists naming named lists): which names
// lie on one, found once for the whole graph, without recursion (a chain of thousands of
// names needs no deep stack), and one path round a loop to name in a message.

/** A name's strongly connected part of the graph, as a number (Tarjan's algorithm). */
export function componentsOf(nodes: Iterable<string>, next: (n: string) => readonly string[]): Map<string, number> {
  const index = new Map<string, number>(), low = new Map<string, number>(), part = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>();
  let counter = 0, parts = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a name, what it leads to, and how many of those have been followed.
    const frames: { v: string; out: readonly string[]; i: number }[] = [{ v: root, out: next(root), i: 0 }];
    index.set(root, counter); low.set(root, counter); counter++;
    stack.push(root); onStack.add(root);
    while (frames.length) {
      const frame = frames[frames.length - 1];
      const v = frame.v;
      if (frame.i < frame.out.length) {
        const w = frame.out[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          frames.push({ v: w, out: next(w), i: 0 });
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const u = frames[frames.length - 1].v;
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); part.set(w, parts); } while (w !== v);
        parts++;
      }
    }
  }
  return part;
}

/** The names after `from` on a shortest path to `to` within `from`'s part, or undefined. */
export function pathWithin(from: string, to: string, next: (n: string) => readonly string[], part: ReadonlyMap<string, number>): string[] | undefined {
  const back = new Map<string, string>([[from, '']]);
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    for (const w of next(queue[q])) {
      if (w === to) {
        const names = [to];
        for (let n = queue[q]; n !== from; n = back.get(n)!) names.unshift(n);
        return names;
      }
      if (back.has(w) || part.get(w) !== part.get(from)) continue;
      back.set(w, queue[q]);
      queue.push(w);
    }
  }
  return undefined;
}

/** A loop as a message names it: whole when short, by its ends when it runs through many names. */
export function loopText(names: readonly string[], steps: string): string {
  return names.length > 12 ? `${names.slice(0, 6).join(' → ')} → … → ${names.slice(-3).join(' → ')}, ${names.length - 1} ${steps}` : names.join(' → ');
}
