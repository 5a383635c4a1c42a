// A page that cannot load is reported to the user, not left as an
// invisible window and an unhandled rejection.

import { afterAll, expect, test } from 'vitest';
import { importBuiltMain, outFile, until } from './start-built-app';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

test('a failed load shows an error dialog naming the page and the error, and the app exits with status 1', async () => {
  const world = await importBuiltMain((w) => {
    w.loadFailure = 'ERR_FAILED (-2)';
  });
  world.app.becomeReady();
  await until('the app to exit', () => world.calls.some((call) => call.startsWith('app.exit')));
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(world.errorBoxes).toHaveLength(1);
  expect(world.errorBoxes[0]?.title).toBe('ummunotify could not load its window');
  expect(world.errorBoxes[0]?.content).toContain(outFile('renderer/index.html'));
  expect(world.errorBoxes[0]?.content).toContain('ERR_FAILED (-2)');
  expect(world.errorBoxes[0]?.content).toContain('npm run build');
  expect(world.calls).toContain('app.exit 1');
  expect(world.calls).not.toContain('window.show');
  expect(unhandled).toEqual([]);
});
