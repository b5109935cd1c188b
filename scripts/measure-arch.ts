// Architecture proxies for src/ (issue 10), measured with the TypeScript compiler API:
//   - each function's own lines (nested functions left out), the longest listed;
//   - exported names defined (not re-exported) in more than one file;
//   - src/cli/'s share of src/ lines.
// Usage: node --import tsx scripts/measure-arch.ts [root=.] [--limit 60] [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? '.';
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 60;
const src = join(root, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

function nameOf(n: ts.FunctionLikeDeclaration): string {
  if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) return n.name.text;
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  const p = n.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return '(anonymous)';
}

interface Fn { file: string; name: string; line: number; own: number }
const fns: Fn[] = [];
const exported = new Map<string, Set<string>>();
let srcLines = 0;
let cliLines = 0;

for (const file of tsFiles(src)) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  srcLines += lines;
  const rel = relative(root, file);
  if (rel.startsWith(join('src', 'cli'))) cliLines += lines;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;

  // Own lines: the lines a function spans, minus every line a nested function spans (the
  // issue's measure: runConfig 103, startEmbeddedServer 97, runSweep 87 at commit 5eb4ab0).
  const measure = (fn: ts.FunctionLikeDeclaration) => {
    const start = lineOf(fn.getStart(sf));
    const end = lineOf(fn.getEnd());
    const own = new Set<number>();
    for (let l = start; l <= end; l++) own.add(l);
    const strip = (n: ts.Node) => {
      if (n !== fn && isFunctionLike(n)) {
        const s = lineOf(n.getStart(sf));
        const e = lineOf(n.getEnd());
        for (let l = s; l <= e; l++) own.delete(l);
        return;
      }
      ts.forEachChild(n, strip);
    };
    ts.forEachChild(fn, strip);
    fns.push({ file: rel, name: nameOf(fn), line: start + 1, own: own.size });
  };
  const visit = (n: ts.Node) => {
    if (isFunctionLike(n) && n.body) measure(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);

  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const names: string[] = [];
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) ts.isIdentifier(d.name) && names.push(d.name.text);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.push(st.name.text);
    for (const n of names) {
      if (!exported.has(n)) exported.set(n, new Set());
      exported.get(n)!.add(rel);
    }
  }
}

fns.sort((a, b) => b.own - a.own);
const over = fns.filter((f) => f.own > limit);
const dups = [...exported].filter(([, files]) => files.size > 1).sort((a, b) => a[0].localeCompare(b[0]));
const result = {
  functions: fns.length,
  overLimit: over.map((f) => `${f.name} ${f.own} (${f.file}:${f.line})`),
  longest: fns.slice(0, 8).map((f) => `${f.name} ${f.own} (${f.file}:${f.line})`),
  duplicateExports: dups.map(([n, files]) => `${n}: ${[...files].join(', ')}`),
  srcLines,
  cliLines,
  cliShare: `${((100 * cliLines) / srcLines).toFixed(1)}%`,
};
if (args.includes('--json')) process.stdout.write(JSON.stringify(result, null, 1) + '\n');
else {
  process.stdout.write(`functions over ${limit} own lines: ${over.length}\n${result.overLimit.map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write(`longest:\n${result.longest.map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write(`exported names defined in more than one file: ${dups.length}\n${result.duplicateExports.map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write(`src/cli: ${cliLines} of ${srcLines} src lines (${result.cliShare})\n`);
}
