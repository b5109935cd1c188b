import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRemoteSettings, redactUrl } from '../../../src/jupyter/index.js';

const saved = { url: process.env.JUPYTER_SERVER_URL, token: process.env.JUPYTER_TOKEN };
afterEach(() => {
  for (const [k, v] of [
    ['JUPYTER_SERVER_URL', saved.url],
    ['JUPYTER_TOKEN', saved.token],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function dirWithDotenv(text?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'rn-env-'));
  if (text) writeFileSync(join(d, '.env'), text);
  return d;
}

describe('remote server settings', () => {
  it('is undefined when no URL is given anywhere (the embedded server is used)', () => {
    delete process.env.JUPYTER_SERVER_URL;
    assert.equal(resolveRemoteSettings({}, dirWithDotenv()), undefined);
  });

  it('takes flags over the environment over .env', () => {
    const d = dirWithDotenv('JUPYTER_SERVER_URL=http://from-dotenv:1/\nJUPYTER_TOKEN=dotenv-token\n');
    delete process.env.JUPYTER_SERVER_URL;
    delete process.env.JUPYTER_TOKEN;
    assert.deepEqual(resolveRemoteSettings({}, d), { url: 'http://from-dotenv:1/', token: 'dotenv-token' });
    process.env.JUPYTER_SERVER_URL = 'http://from-env:2/base';
    process.env.JUPYTER_TOKEN = 'env-token';
    assert.deepEqual(resolveRemoteSettings({}, d), { url: 'http://from-env:2/base/', token: 'env-token' });
    assert.deepEqual(resolveRemoteSettings({ serverUrl: 'http://flag:3/user/me', token: 'flag-token' }, d), { url: 'http://flag:3/user/me/', token: 'flag-token' });
  });

  it('accepts a token pasted in the URL, and never keeps it in the URL', () => {
    delete process.env.JUPYTER_TOKEN;
    const r = resolveRemoteSettings({ serverUrl: 'http://127.0.0.1:8888/lab?token=abc123' }, dirWithDotenv());
    assert.deepEqual(r, { url: 'http://127.0.0.1:8888/', token: 'abc123' });
    assert.equal(resolveRemoteSettings({ serverUrl: 'https://hub.example/user/me/lab/tree/x.ipynb', token: 't' }, dirWithDotenv())?.url, 'https://hub.example/user/me/');
  });

  it('rejects a URL that is not http(s) with a message that hides credentials', () => {
    assert.throws(() => resolveRemoteSettings({ serverUrl: 'ftp://u:secret@host/' }, dirWithDotenv()), (e: Error) => /must be http/.test(e.message) && !e.message.includes('secret'));
    assert.throws(() => resolveRemoteSettings({ serverUrl: 'not a url' }, dirWithDotenv()), /not a URL/);
  });

  it('redacts tokens and passwords from printed URLs', () => {
    assert.equal(redactUrl('http://u:pw@h:1/x?token=t&a=1'), 'http://h:1/x?a=1');
  });
});
