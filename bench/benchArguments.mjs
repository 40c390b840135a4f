// The command-line walk of the Node benchmark scripts (webview-load.mjs, dashboard-throughput.mjs).

/**
 * Hands each argument of `argv` to `take(arg, value)`, which sets the option and returns true, or
 * returns false for an argument it does not know (an error with the usage). `value()` reads the
 * option's value, the next argument (an error with the usage when there is none); --help and -h
 * print the usage and exit.
 */
export function forEachArgument(argv, usage, take) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return v;
    };
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (!take(arg, value)) throw new Error(`unknown argument ${arg}\n${usage}`);
  }
}
