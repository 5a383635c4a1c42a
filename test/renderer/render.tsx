// Rendering React into jsdom for component tests (react-dom + act; no
// testing library is installed).

import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { ViewStoreContext } from '../../src/renderer/view-state/use-view-store';
import { createViewStore, type ViewStore } from '../../src/renderer/view-state/view-store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  store: ViewStore;
  byTestId(id: string): HTMLElement;
  allByTestId(id: string): HTMLElement[];
  rerender(ui: ReactNode): Promise<void>;
  unmount(): Promise<void>;
}

export async function render(ui: ReactNode, store: ViewStore = createViewStore()): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  let root: Root | undefined;
  const wrap = (node: ReactNode) => <ViewStoreContext.Provider value={store}>{node}</ViewStoreContext.Provider>;
  await act(async () => {
    root = createRoot(container);
    root.render(wrap(ui));
  });
  return {
    container,
    store,
    byTestId(id) {
      const el = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (!el) throw new Error(`no element with data-testid="${id}"`);
      return el;
    },
    allByTestId: (id) => [...container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)],
    rerender: (node) => act(async () => root?.render(wrap(node))),
    unmount: async () => {
      await act(async () => root?.unmount());
      container.remove();
    },
  };
}

export async function fire(target: EventTarget, event: Event): Promise<void> {
  await act(async () => {
    target.dispatchEvent(event);
  });
}

/** Sets an input's value the way React notices it. */
export async function typeInto(input: HTMLInputElement | HTMLSelectElement, value: string): Promise<void> {
  const proto = input instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
  await fire(input, new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

/** Lets work the views schedule for later (time slices, the next frame) run. */
export async function settle(ms = 50): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}
