// The Electron app: one window, the session core behind IPC, and the
// device-session process started with utilityProcess.

import { app } from 'electron';
import { fileURLToPath } from 'node:url';
import { SessionHost } from './core/session-host';
import { wireIpc } from './electron/ipc';
import { utilityLauncher } from './electron/utility-launcher';
import { createAppWindow } from './electron/window';

app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  const host = new SessionHost({
    launcher: utilityLauncher,
    deviceSessionEntry: fileURLToPath(new URL('./device-session.js', import.meta.url)),
  });
  const { window, isAppUrl } = createAppWindow();
  const unwire = wireIpc(host, window, isAppUrl);
  window.on('closed', () => {
    unwire();
    void host.close();
  });
  app.on('window-all-closed', () => app.quit());
}

start().catch((err: unknown) => {
  console.error(err);
  app.exit(1);
});
