// The command line before yargs sees it: the spellings yargs would misread, rewritten.
//   --dst-dir x    → --dst_dir x     (flags are snake_case; kebab-case is the same flag, so help
//                                     lists each flag once instead of twice)
//   --no-fail-fast → --no-fail_fast  (yargs' own negation prefix stays)
//   --sort -acc    → --sort=-acc     (a value starting with '-' would read as short flags)
// Everything after a bare `--` is left alone.

export function normalizeArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a === '--sort' && args[i + 1]?.startsWith('-') && !args[i + 1]!.startsWith('--')) out.push(`--sort=${args[++i]}`);
    else out.push(snakeFlag(a));
  }
  return out;
}

/** `--a-b[=v]` → `--a_b[=v]`, keeping a leading `no-`; anything else unchanged. */
function snakeFlag(a: string): string {
  const m = /^--([a-z][a-z0-9-]*[a-z0-9])(=.*)?$/is.exec(a);
  if (!m || !m[1]!.includes('-')) return a;
  const name = m[1]!;
  const negated = name.startsWith('no-');
  return `--${negated ? 'no-' : ''}${(negated ? name.slice(3) : name).replace(/-/g, '_')}${m[2] ?? ''}`;
}
