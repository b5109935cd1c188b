// JUnit XML for CI systems: one <testsuite> per notebook (and config), one <testcase> per cell.

import { stripVTControlCharacters } from 'node:util';
import type { CellResult, NotebookCheckResult } from './types.js';
import { resultLabel } from './report.js';

// Everything XML 1.0 forbids, even as a character reference: C0 controls other than tab, LF
// and CR; lone surrogates; U+FFFE and U+FFFF.
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const visible = (ch: string) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/** Text content: ANSI escapes dropped, forbidden characters shown as `\uXXXX`, markup escaped, CR kept. */
export function xmlText(s: string): string {
  return stripVTControlCharacters(s)
    .replace(INVALID_XML, visible)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** An attribute value (double-quoted); tabs and newlines kept as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

const attrs = (pairs: Record<string, string | number | undefined>) =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : (ms / 1000).toFixed(3));

function testcase(classname: string, c: CellResult): string {
  const open = `    <testcase${attrs({ classname, name: `cell ${c.cellIndex + 1}: ${c.firstLine}`, time: seconds(c.durationMs) })}`;
  switch (c.status) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped${attrs({ message: c.message })}/>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message: c.message ?? 'cell raised an error', type: 'CellError' })}/>\n    </testcase>`;
    case 'failed': {
      const body = c.diff ? xmlText(c.diff) : '';
      return `${open}>\n      <failure${attrs({ message: c.message ?? 'outputs differ', type: 'OutputMismatch' })}>${body}</failure>\n    </testcase>`;
    }
  }
}

export interface JUnitOptions {
  /** The <testsuites> name. Default 'run-notebook check'. */
  name?: string;
  /** ISO timestamp put on every <testsuite>. Default: none. */
  timestamp?: string;
}

/**
 * One <testsuite> per NotebookCheckResult (named like the console report: notebook, config
 * index and name), one <testcase> per compared code cell with <failure> (carrying the diff),
 * <error> or <skipped>. A notebook-level error becomes a testcase named `notebook` with an
 * <error>. Counts are on every suite and on <testsuites>.
 */
export function toJUnitXml(results: readonly NotebookCheckResult[], options: JUnitOptions = {}): string {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites: string[] = [];
  for (const r of results) {
    const label = resultLabel(r);
    const count = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const cases: string[] = [];
    let ms = 0;
    let timed = false;
    if (r.kind === 'experiment') {
      // An experiment run has no cells: the run itself is the one testcase.
      count.tests++;
      if (r.error) count.errors++;
      const open = `    <testcase${attrs({ classname: label, name: 'experiment' })}`;
      cases.push(r.error ? `${open}>\n      <error${attrs({ message: r.error, type: 'ExperimentError' })}/>\n    </testcase>` : `${open}/>`);
    } else if (r.error) {
      count.tests++;
      count.errors++;
      cases.push(`    <testcase${attrs({ classname: label, name: 'notebook' })}>\n      <error${attrs({ message: r.error, type: 'NotebookError' })}/>\n    </testcase>`);
    }
    for (const c of r.cells) {
      count.tests++;
      if (c.status === 'failed') count.failures++;
      if (c.status === 'error') count.errors++;
      if (c.status === 'skipped') count.skipped++;
      if (c.durationMs !== undefined) {
        ms += c.durationMs;
        timed = true;
      }
      cases.push(testcase(label, c));
    }
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += count[k];
    const props = [
      `      <property${attrs({ name: r.kind === 'experiment' ? 'experiment' : 'notebook', value: r.notebook })}/>`,
      r.configIndex !== undefined ? `      <property${attrs({ name: 'config_index', value: r.configIndex })}/>` : '',
      r.configName ? `      <property${attrs({ name: 'config_name', value: r.configName })}/>` : '',
    ].filter(Boolean);
    suites.push(
      `  <testsuite${attrs({ name: label, ...count, time: timed ? seconds(ms) : undefined, timestamp: options.timestamp })}>\n` +
        `    <properties>\n${props.join('\n')}\n    </properties>\n` +
        cases.map((c) => `${c}\n`).join('') +
        `  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name: options.name ?? 'run-notebook check', ...total })}>\n` +
    suites.map((s) => `${s}\n`).join('') +
    `</testsuites>\n`
  );
}
