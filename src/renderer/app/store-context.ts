// Components reach the session store through this context, so tests can
// mount them over a store of their own.

import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ProcessesStore } from './processes-store';
import type { SessionStore } from './store';

export const SessionStoreContext = createContext<StoreApi<SessionStore> | null>(null);
/** The processes (monitor sessions); absent where the app runs without them (component tests). */
export const ProcessesStoreContext = createContext<StoreApi<ProcessesStore> | null>(null);

function useStoreApi(): StoreApi<SessionStore> {
  const store = useContext(SessionStoreContext);
  if (!store) throw new Error('useSession outside SessionStoreContext');
  return store;
}

export function useSession<T>(selector: (store: SessionStore) => T): T {
  return useStore(useStoreApi(), selector);
}

export const selectSession = (s: SessionStore) => s.session;
export const selectSnapshot = (s: SessionStore) => s.snapshot;
/** Behind, to a tenth of a second (what the status shows). */
export const selectBehind = (s: SessionStore) => Math.round(s.behindMs / 100) * 100;
export const selectLoadingHistory = (s: SessionStore) => s.loadingHistory;
/** Rounded, so that the status changes when the rate does, not with every summary. */
export const selectSummarized = (s: SessionStore) => Math.round(s.summarizedPerSecond / 100) * 100;

/** How often at most a live value re-renders what shows it (a stream changes the session state with every batch). */
export const LIVE_RENDER_MS = 100;

/**
 * A value that changes with every pushed batch (the session state, the
 * snapshot): a change re-renders at once after a quiet spell, and at most
 * once per LIVE_RENDER_MS while they keep coming, so a fast stream does
 * not re-render the workbench for every batch. The store itself stays
 * current.
 */
export function useLiveSession<T>(selector: (store: SessionStore) => T): T {
  return useThrottledStore(useStoreApi(), selector);
}

/** A store's value, re-rendered as useLiveSession does (at most once per LIVE_RENDER_MS while it keeps changing). */
export function useThrottledStore<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let last = -Infinity;
      let seen = selector(store.getState());
      const fire = () => {
        timer = undefined;
        last = performance.now();
        notify();
      };
      const stop = store.subscribe((state) => {
        const next = selector(state);
        if (Object.is(next, seen)) return;
        seen = next;
        timer ??= setTimeout(fire, Math.max(0, last + LIVE_RENDER_MS - performance.now()));
      });
      return () => {
        stop();
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [store, selector],
  );
  return useSyncExternalStore(subscribe, () => selector(store.getState()));
}
