import { expect, test } from 'vitest';
import { parseServeArgs } from '../../../src/main/serve/args';

test('serve mode binds loopback on any free port by default', () => {
  expect(parseServeArgs([])).toEqual({ host: '127.0.0.1', port: 0, backend: 'auto', attach: [], attachAll: false });
});

test('--host, --port and --backend are taken as given', () => {
  expect(parseServeArgs(['--host', '0.0.0.0', '--port', '8080', '--backend', 'model'])).toEqual({
    host: '0.0.0.0',
    port: 8080,
    backend: 'model',
    attach: [],
    attachAll: false,
  });
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
])('rejects %j', (argv) => {
  expect(() => parseServeArgs(argv)).toThrow();
});
