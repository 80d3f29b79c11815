// The imapd.conf reader's form of a setting: it keeps offsets in its file's text and places
// its Locs only when one is read (see entry.ts). The offsets are the logical line's mapped
// to the text, so a setting continued over several lines places them on the right ones.
import type { LineIndex } from '../text';
import type { ImapdKeyKind, ImapdSetting, Loc } from './model';

export class Setting implements ImapdSetting {
  declare rawName: string;
  declare key: string;
  declare option: string;
  declare prefix: string | undefined;
  declare kind: ImapdKeyKind;
  declare value: string;
  declare file: string;
  declare private readonly lines: LineIndex;
  declare private readonly start: number;
  declare private readonly nameEnd: number;
  declare private readonly valueStart: number;
  declare private readonly end: number;
  constructor(rawName: string, key: string, option: string, prefix: string | undefined, kind: ImapdKeyKind, value: string,
    file: string, lines: LineIndex, start: number, nameEnd: number, valueStart: number, end: number) {
    this.rawName = rawName; this.key = key; this.option = option; this.prefix = prefix; this.kind = kind; this.value = value;
    this.file = file; this.lines = lines; this.start = start; this.nameEnd = nameEnd; this.valueStart = valueStart; this.end = end;
  }
  private place(s: number, e: number): Loc {
    return { file: this.file, range: { start: this.lines.positionAt(s), end: this.lines.positionAt(e) } };
  }
  get nameLoc(): Loc { return this.place(this.start, this.nameEnd); }
  get valueLoc(): Loc { return this.place(this.valueStart, this.end); }
  get loc(): Loc { return this.place(this.start, this.end); }
}
