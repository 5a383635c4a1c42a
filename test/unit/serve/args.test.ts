import { expect, test } from 'vitest';
import { parseAgentArgs, parseServeArgs } from '../../../src/main/serve/args';

test('serve mode binds loopback on any free port by default', () => {
  expect(parseServeArgs([])).toEqual({ host: '127.0.0.1', port: 0, backend: 'auto', attach: [], attachAll: false, recordDir: null, exitWhenIdleMs: null });
});

test('--host, --port and --backend are taken as given', () => {
  expect(parseServeArgs(['--host', '0.0.0.0', '--port', '8080', '--backend', 'model'])).toEqual({
    host: '0.0.0.0',
    port: 8080,
    backend: 'model',
    attach: [],
    attachAll: false,
    recordDir: null,
    exitWhenIdleMs: null,
  });
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
])('rejects %j', (argv) => {
  expect(() => parseServeArgs(argv)).toThrow();
});
