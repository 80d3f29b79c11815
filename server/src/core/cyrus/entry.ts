// The cyrus.conf reader's forms of an entry and its arguments. Like the Exim model's
// settings (exim/parsed.ts) they keep their line and offsets and place their Locs only when
// one is read: a file has thousands of arguments, each with three Locs, read for a finding
// or an editor request now and then. Each read gives a new Loc of the same place.
import type { CyrusArg, CyrusCommand, CyrusEntry, CyrusSectionName, Endpoint, Loc } from './model';

/** A Loc on one line. */
export function lineLoc(file: string, line: number, start: number, end: number): Loc {
  return { file, range: { start: { line, character: start }, end: { line, character: end } } };
}

/** The first argument of that name, the one master reads (what `argMap` holds). */
export function firstArg<A extends CyrusArg>(args: readonly A[], name: string): A | undefined {
  for (const a of args) if (a.name === name) return a;
  return undefined;
}

// Fields are declared and all set in the constructor, so every instance has one shape.
export class Arg implements CyrusArg {
  declare name: string;
  declare value: string;
  declare quoted: boolean;
  declare private readonly file: string;
  declare private readonly line: number;
  /** Where the name starts; the rest follows from what was read: `name=value` or `name="value"`. */
  declare private readonly start: number;
  constructor(name: string, value: string, quoted: boolean, file: string, line: number, start: number) {
    this.name = name; this.value = value; this.quoted = quoted;
    this.file = file; this.line = line; this.start = start;
  }
  private get valueStart(): number { return this.start + this.name.length + (this.quoted ? 2 : 1); }
  get nameLoc(): Loc { return lineLoc(this.file, this.line, this.start, this.start + this.name.length); }
  get valueLoc(): Loc { const s = this.valueStart; return lineLoc(this.file, this.line, s, s + this.value.length); }
  get loc(): Loc { return lineLoc(this.file, this.line, this.start, this.valueStart + this.value.length + (this.quoted ? 1 : 0)); }
}

export class Entry implements CyrusEntry {
  declare section: CyrusSectionName | string;
  declare name: string;
  declare args: CyrusArg[];
  declare proto: string;
  declare cmd: CyrusCommand | undefined;
  declare listen: Endpoint | undefined;
  declare listenProblem: { message: string; warning: boolean } | undefined;
  declare truncated: boolean | undefined;
  declare private readonly file: string;
  declare private readonly line: number;
  declare private readonly start: number;
  declare private readonly end: number;
  constructor(section: CyrusSectionName | string, name: string, args: CyrusArg[], proto: string, file: string, line: number, start: number, end: number) {
    this.section = section; this.name = name; this.args = args; this.proto = proto;
    this.cmd = undefined; this.listen = undefined; this.listenProblem = undefined; this.truncated = undefined;
    this.file = file; this.line = line; this.start = start; this.end = end;
  }
  get nameLoc(): Loc { return lineLoc(this.file, this.line, this.start, this.start + this.name.length); }
  get loc(): Loc { return lineLoc(this.file, this.line, this.start, this.end); }
  /** Built on each read and not kept (the rules and the reader use firstArg). */
  get argMap(): Map<string, CyrusArg> {
    const m = new Map<string, CyrusArg>();
    for (const a of this.args) if (!m.has(a.name)) m.set(a.name, a);
    return m;
  }
}
