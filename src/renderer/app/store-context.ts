// Components reach the session store through this context, so tests can
// mount them over a store of their own.

import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { SessionStore } from './store';

export const SessionStoreContext = createContext<StoreApi<SessionStore> | null>(null);

export function useSession<T>(selector: (store: SessionStore) => T): T {
  const store = useContext(SessionStoreContext);
  if (!store) throw new Error('useSession outside SessionStoreContext');
  return useStore(store, selector);
}
