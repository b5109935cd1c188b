import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayAccepts, gatewayEnv } from '../../../src/jupyter/gateway.js';
import { classifyStartAnswer, describeErrorBody } from '../../../src/jupyter/kernelStart.js';

describe('gateway env', () => {
  it('takes KERNEL_* from the runner, then the server env, then the run; defaults user and launch timeout', () => {
    const { env, leftOut } = gatewayEnv({
      run: { __CONFIG_IDX__: '3', KERNEL_IMAGE: 'run-image' },
      server: { KERNEL_IMAGE: 'server-image', KERNEL_CPUS: '2' },
      startTimeoutSec: 90,
      processEnv: { KERNEL_CPUS: '1', KERNEL_NAMESPACE: 'ns', HOME: '/root', KERNEL_EMPTY: '' },
    });
    assert.deepEqual(leftOut, []);
    assert.equal(env.__CONFIG_IDX__, '3');
    assert.equal(env.KERNEL_IMAGE, 'run-image');
    assert.equal(env.KERNEL_CPUS, '2');
    assert.equal(env.KERNEL_NAMESPACE, 'ns');
    assert.equal(env.KERNEL_LAUNCH_TIMEOUT, '90');
    assert.ok(env.KERNEL_USERNAME && env.KERNEL_USERNAME.length > 0);
    assert.equal('HOME' in env, false);
    assert.equal('KERNEL_EMPTY' in env, false);
  });

  it('an explicit KERNEL_USERNAME wins over the OS user', () => {
    assert.equal(gatewayEnv({ run: {}, server: { KERNEL_USERNAME: 'alice' }, processEnv: {} }).env.KERNEL_USERNAME, 'alice');
  });

  it('leaves out values a gateway refuses: over 4096 characters, $, backtick, CR, LF, NUL', () => {
    for (const bad of ['x'.repeat(4097), 'a$b', 'a`b', 'a\rb', 'a\nb', 'a\0b']) assert.equal(gatewayAccepts(bad), false, JSON.stringify(bad.slice(0, 10)));
    assert.equal(gatewayAccepts('x'.repeat(4096)), true);
    const { env, leftOut } = gatewayEnv({ run: { __NOTEBOOK_CONFIG_JSON__: '{"a": "$x"}', OK: 'fine' }, processEnv: {} });
    assert.deepEqual(leftOut, ['__NOTEBOOK_CONFIG_JSON__']);
    assert.equal(env.OK, 'fine');
  });
});

describe('kernel start answers', () => {
  it("shows a gateway's reason (EG puts it in `reason`, not `message`)", () => {
    const line = describeErrorBody(403, { reason: "User 'root' is not authorized to start kernel 'Python 3'.", message: '' }, "User 'root' is not authorized to start kernel 'Python 3'.");
    assert.equal(line, "HTTP 403: User 'root' is not authorized to start kernel 'Python 3'.");
    assert.equal(describeErrorBody(403, { reason: 'Forbidden', message: 'Resource Limit' }, 'Forbidden'), 'HTTP 403: Resource Limit');
    assert.equal(describeErrorBody(502, undefined, 'Bad Gateway'), 'HTTP 502 Bad Gateway');
  });

  it('tells capacity, unusable, server and request problems apart', () => {
    assert.equal(classifyStartAnswer(403, 'HTTP 403: Resource Limit'), 'capacity');
    assert.equal(classifyStartAnswer(403, 'HTTP 403: A max kernels limit has been set to 2'), 'capacity');
    assert.equal(classifyStartAnswer(403, "HTTP 403: User 'root' is not authorized"), 'unusable');
    assert.equal(classifyStartAnswer(404, 'HTTP 404: No such kernel'), 'unusable');
    assert.equal(classifyStartAnswer(500, 'HTTP 500: launch failed'), 'server');
    assert.equal(classifyStartAnswer(400, 'HTTP 400: bad'), 'request');
  });
});
