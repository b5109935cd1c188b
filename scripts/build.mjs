// `npm run build` (also npm's `prepare`, so `npm pack`, `npm ci` in a clone and an install
// from a git URL all build): dist/ from scratch, so a module deleted from src/ cannot
// linger in the package. dist/.stamp tells scripts/setup.sh the build is current.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync('dist/.stamp', '');
