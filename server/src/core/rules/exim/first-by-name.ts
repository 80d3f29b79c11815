// The first of each name among things read in order, for the rules that report a second
// definition or setting. Most owners have a handful: those are compared in a list, which
// one check can reuse for owner after owner (`reset`); a map is made only past 32.

const SMALL = 32;

export class FirstByName<T extends { name: string }> {
  private readonly list: T[] = [];
  private n = 0;
  private map: Map<string, T> | undefined = undefined;
  reset(): void { this.n = 0; this.map = undefined; }
  get(name: string): T | undefined {
    if (this.map) return this.map.get(name);
    for (let i = 0; i < this.n; i++) if (this.list[i].name === name) return this.list[i];
    return undefined;
  }
  /** Records `item`, whose name has no first yet. */
  add(item: T): void {
    if (this.map) { this.map.set(item.name, item); return; }
    if (this.n < SMALL) { this.list[this.n++] = item; return; }
    this.map = new Map();
    for (let i = 0; i < this.n; i++) this.map.set(this.list[i].name, this.list[i]);
    this.map.set(item.name, item);
  }
  /** The names, in the order they were first seen. */
  names(): string[] {
    return this.map ? [...this.map.keys()] : this.list.slice(0, this.n).map((x) => x.name);
  }
}
