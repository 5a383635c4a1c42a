import { expect, test } from 'vitest';
import { parseServeArgs } from '../../../src/main/serve/args';

test('serve mode binds loopback on any free port by default', () => {
  expect(parseServeArgs([])).toEqual({ host: '127.0.0.1', port: 0, backend: 'auto' });
});

test('--host, --port and --backend are taken as given', () => {
  expect(parseServeArgs(['--host', '0.0.0.0', '--port', '8080', '--backend', 'model'])).toEqual({
    host: '0.0.0.0',
    port: 8080,
    backend: 'model',
  });
});

test.each([
  [['--port', '65536']],
  [['--port', 'http']],
  [['--backend', 'monitor']],
  [['--port']],
  [['--verbose', '1']],
])('rejects %j', (argv) => {
  expect(() => parseServeArgs(argv)).toThrow();
});
