// The 'electron' module the built main bundle imports in the contract test:
// exactly the names the stand-in implements, so an import of anything else
// fails to link.
const standIn = globalThis[Symbol.for('ummunotify.electron-stand-in')];
if (!standIn) throw new Error('the Electron stand-in is not installed');

export const { app, BrowserWindow, dialog, ipcMain, shell, utilityProcess } = standIn.main;
