import { expect, test } from 'vitest';
import { parseAgentArgs, parseServeArgs } from '../../../src/main/serve/args';

test('serve mode binds loopback on any free port by default', () => {
  expect(parseServeArgs([])).toEqual({ host: '127.0.0.1', port: 0, backend: 'auto', attach: [], attachAll: false, join: [], recordDir: null, exitWhenIdleMs: null, summarizeAbove: null });
});

test('--host, --port and --backend are taken as given', () => {
  expect(parseServeArgs(['--host', '0.0.0.0', '--port', '8080', '--backend', 'model'])).toEqual({
    host: '0.0.0.0',
    port: 8080,
    backend: 'model',
    attach: [],
    attachAll: false,
    join: [],
    recordDir: null,
    exitWhenIdleMs: null,
    summarizeAbove: null,
  });
});

test('--summarize-above takes records a second, 0 for never', () => {
  expect(parseServeArgs(['--summarize-above', '0']).summarizeAbove).toBe(0);
  expect(parseServeArgs(['--summarize-above', '25000']).summarizeAbove).toBe(25000);
});

test('--join repeats, in the order given', () => {
  expect(parseServeArgs(['--join', 'http://127.0.0.1:8001/?token=a', '--join', 'http://127.0.0.1:8002/?token=b']).join).toEqual([
    'http://127.0.0.1:8001/?token=a',
    'http://127.0.0.1:8002/?token=b',
  ]);
});

test('the agent watches every process and runs its own lab on the model, unless told otherwise', () => {
  expect(parseAgentArgs(['--record', '/tmp/job', '--exit-when-idle', '2.5'])).toMatchObject({
    attachAll: true,
    backend: 'model',
    recordDir: '/tmp/job',
    exitWhenIdleMs: 2500,
  });
  expect(parseAgentArgs(['--backend', 'kernel']).backend).toBe('kernel');
});

test('--attach PID[:FD] repeats; --attach-all takes no value', () => {
  expect(parseServeArgs(['--attach', '4242', '--attach-all', '--attach', '17:5'])).toMatchObject({
    attach: [{ pid: 4242 }, { pid: 17, fd: 5 }],
    attachAll: true,
  });
});

test.each([
  [['--port', '65536']],
  [['--port', 'http']],
  [['--backend', 'monitor']],
  [['--port']],
  [['--verbose', '1']],
  [['--attach', '0']],
  [['--attach', '12:']],
  [['--attach', 'mpirun']],
  [['--attach']],
  [['--record']],
  [['--exit-when-idle', '-1']],
  [['--exit-when-idle', 'soon']],
  [['--summarize-above', '-5']],
  [['--summarize-above', '1.5']],
  [['--summarize-above', '']],
])('rejects %j', (argv) => {
  expect(() => parseServeArgs(argv)).toThrow();
});
