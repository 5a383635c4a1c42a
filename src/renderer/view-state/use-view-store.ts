// React access to the workbench's view store: one store per workbench,
// handed down by context; components select the slice they draw.

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ViewState, ViewStore } from './view-store';

export const ViewStoreContext = createContext<ViewStore | null>(null);

export function useViewStoreApi(): ViewStore {
  const store = useContext(ViewStoreContext);
  if (!store) throw new Error('useViewStore: no ViewStoreContext provider (mount views inside <Workbench />)');
  return store;
}

export function useViewStore<T>(selector: (state: ViewState) => T): T {
  return useStore(useViewStoreApi(), selector);
}
