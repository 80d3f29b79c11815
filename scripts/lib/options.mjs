// Command-line options of the developer scripts: `--name value` pairs among the arguments.

/** A reader of `--name value`: the value, or `dflt` when the option or its value is missing. */
export function optionReader(argv) {
  return (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
  };
}
