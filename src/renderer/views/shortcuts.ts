// Keyboard shortcuts of the workbench: the table the "?" overlay shows and
// the one function that applies a key to the view store.

import { panSpan, zoomSpan, type Span } from '../view-state/ranges';
import type { ViewStore } from '../view-state/view-store';

export const SHORTCUTS: readonly { keys: string; action: string }[] = [
  { keys: '?', action: 'show or hide this help' },
  { keys: 'W / S', action: 'zoom the timeline in / out' },
  { keys: 'A / D', action: 'pan the timeline earlier / later' },
  { keys: 'Ctrl + wheel', action: 'zoom the timeline at the pointer' },
  { keys: 'drag', action: 'timeline: pan; address map: select pages' },
  { keys: 'Shift + drag', action: 'timeline: select a time range; address map: pan' },
  { keys: 'wheel', action: 'address map: zoom; timeline: scroll lanes' },
  { keys: 'F', action: 'follow live again' },
  { keys: '0', action: 'fit the whole recording and the whole arena' },
  { keys: 'T', action: 'switch light / dark theme' },
  { keys: 'Esc', action: 'clear the selection, close this help' },
];

export const ZOOM_STEP = 1.5;
export const PAN_STEP = 0.2;

export type ShortcutEffect = 'handled' | 'toggle-help' | 'close-help' | 'ignored';

/** Applies a key; `timeDomain` is what the timeline currently shows. */
export function applyShortcut(key: string, store: ViewStore, timeDomain: Span): ShortcutEffect {
  const s = store.getState();
  const centre = (timeDomain.start + timeDomain.end) / 2;
  switch (key.toLowerCase()) {
    case '?':
      return 'toggle-help';
    case 'w':
      s.navigateTime(zoomSpan(timeDomain, ZOOM_STEP, centre));
      return 'handled';
    case 's':
      s.navigateTime(zoomSpan(timeDomain, 1 / ZOOM_STEP, centre));
      return 'handled';
    case 'a':
      s.navigateTime(panSpan(timeDomain, -PAN_STEP));
      return 'handled';
    case 'd':
      s.navigateTime(panSpan(timeDomain, PAN_STEP));
      return 'handled';
    case 'f':
      s.setFollowLive(true);
      return 'handled';
    case '0':
      s.navigateTime(null);
      s.setFollowLive(true);
      s.setAddressDomain(null);
      return 'handled';
    case 't':
      s.setTheme(s.theme === 'light' ? 'dark' : 'light');
      return 'handled';
    case 'escape':
      s.selectAddresses(null);
      s.selectTime(null);
      s.selectCookie(null);
      return 'close-help';
    default:
      return 'ignored';
  }
}
