// Throwaway Python environments for the "your environment" tests. A real venv made by
// `python -m venv --without-pip` (fast: no pip install), holding a module only it has.
// ipykernel comes from the project's .venv through a .pth file, so nothing is downloaded:
// the kernel still runs this venv's interpreter (sys.executable, sys.prefix), and only this
// venv can import its own module.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/support.js';

export const PROJECT_PYTHON = join(ROOT, '.venv', 'bin', 'python');

function purelib(python: string): string {
  return execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], { encoding: 'utf8' }).trim();
}

export interface TestVenv {
  dir: string;
  python: string;
  bin: string;
}

/**
 * A venv at `dir` with `modules` (name → source) in its own site-packages; with
 * `ipykernel`, the project .venv's site-packages are appended to its path by a .pth.
 */
export function makeVenv(dir: string, opts: { ipykernel: boolean; modules?: Record<string, string>; pip?: boolean }): TestVenv {
  execFileSync(PROJECT_PYTHON, ['-m', 'venv', ...(opts.pip ? [] : ['--without-pip']), dir], { stdio: 'pipe' });
  const python = join(dir, 'bin', 'python');
  const site = purelib(python);
  mkdirSync(site, { recursive: true });
  if (opts.ipykernel) writeFileSync(join(site, 'rn_test_project_venv.pth'), purelib(PROJECT_PYTHON) + '\n');
  for (const [name, src] of Object.entries(opts.modules ?? {})) writeFileSync(join(site, `${name}.py`), src);
  return { dir, python, bin: join(dir, 'bin') };
}

/** process.env without the variables that would pick an interpreter. */
export function envWithoutInterpreters(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { VIRTUAL_ENV: undefined, CONDA_PREFIX: undefined, RUN_NOTEBOOK_PYTHON: undefined, ...extra };
}
