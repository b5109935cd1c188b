// The index page's thumbnail per run: the first image file that decodes, else the first
// image output (numbered as the user counts cells), scaled into the box, never enlarged;
// nothing for a run without an image.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { runThumbnail, THUMBNAIL_BOX } from '../../../src/results/thumbnails.js';

const png = (width: number, height: number, rgb: [number, number, number]) => sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();

function notebookWith(dir: string, outputs: Record<string, unknown>[][]): string {
  const cells = [
    { cell_type: 'code', execution_count: 1, id: 'p', metadata: { tags: ['injected-parameters'] }, outputs: [], source: 'x = 1' },
    { cell_type: 'markdown', id: 'm', metadata: {}, source: '# title' },
    ...outputs.map((o, i) => ({ cell_type: 'code', execution_count: i + 2, id: `c${i}`, metadata: {}, outputs: o, source: 'pass' })),
  ];
  const p = join(dir, 'nb.ipynb');
  writeFileSync(p, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return p;
}

async function decoded(src: string) {
  const m = /^data:image\/webp;base64,(.+)$/.exec(src);
  assert.ok(m, src.slice(0, 40));
  const { data, info } = await sharp(Buffer.from(m[1]!, 'base64')).raw().toBuffer({ resolveWithObject: true });
  const at = ((info.height >> 1) * info.width + (info.width >> 1)) * info.channels;
  return { width: info.width, height: info.height, rgb: [data[at]!, data[at + 1]!, data[at + 2]!] };
}

describe('runThumbnail', () => {
  it('takes the first image file that decodes, scaled into the box', async () => {
    const dst = mkdtempSync(join(tmpdir(), 'rn-thumb-'));
    mkdirSync(join(dst, 'result_0', 'plots'), { recursive: true });
    writeFileSync(join(dst, 'result_0', 'broken.png'), 'not a png');
    writeFileSync(join(dst, 'result_0', 'plots', 'wide.png'), await png(1000, 250, [0, 200, 0]));
    const nb = notebookWith(dst, [[{ output_type: 'display_data', metadata: {}, data: { 'image/png': (await png(50, 50, [0, 0, 255])).toString('base64') } }]]);
    const t = await runThumbnail(dst, ['result_0/notes.txt', 'result_0/broken.png', 'result_0/plots/wide.png'], nb);
    assert.ok(t);
    assert.equal(t.file, 'result_0/plots/wide.png');
    assert.equal(t.of, 'result_0/plots/wide.png');
    const d = await decoded(t.src);
    assert.deepEqual([d.width, d.height, t.width, t.height], [THUMBNAIL_BOX.width, 36, THUMBNAIL_BOX.width, 36]);
    assert.ok(d.rgb[1]! > 150 && d.rgb[2]! < 80, `green: ${d.rgb}`);
  });

  it('else the first image output, never enlarged; SVG outputs too; nothing without an image', async () => {
    const dst = mkdtempSync(join(tmpdir(), 'rn-thumb-'));
    const small = (await png(40, 30, [0, 0, 255])).toString('base64');
    const nb = notebookWith(dst, [
      [{ output_type: 'stream', name: 'stdout', text: 'hi' }],
      [{ output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/plain': 'fig', 'image/png': small.match(/.{1,76}/g)!.map((l) => l + '\n') } }],
    ]);
    const t = await runThumbnail(dst, ['result_0/data.csv'], nb);
    assert.ok(t);
    assert.equal(t.file, undefined);
    assert.equal(t.of, 'output of cell 3', 'the injected cell is not counted, the markdown cell is');
    const d = await decoded(t.src);
    assert.deepEqual([d.width, d.height], [40, 30]);
    assert.ok(d.rgb[2]! > 150 && d.rgb[0]! < 80, `blue: ${d.rgb}`);

    const svg = notebookWith(dst, [[{ output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': ['<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">', '<rect width="300" height="300" fill="red"/></svg>'] } }]]);
    const s = await runThumbnail(dst, [], svg);
    assert.ok(s);
    assert.ok((await decoded(s.src)).rgb[0]! > 150);

    const none = notebookWith(dst, [[{ output_type: 'stream', name: 'stdout', text: 'no picture' }]]);
    assert.equal(await runThumbnail(dst, ['result_0/data.csv'], none), undefined);
    assert.equal(await runThumbnail(dst, [], join(dst, 'missing.ipynb')), undefined);
  });
});
