// The app as a user drives it, in jsdom over a real SessionHost with the
// model backend: the workbench fed from pushed state, the session controls,
// the timeline that follows the session.

import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { StoreApi } from 'zustand/vanilla';
import { App } from '../../../src/renderer/app/App';
import { createSessionStore, type SessionStore } from '../../../src/renderer/app/store';
import { LIVE_RENDER_MS, SessionStoreContext } from '../../../src/renderer/app/store-context';
import type { SessionHost } from '../../../src/main/core/session-host';
import { inProcessClient } from './in-process-client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let host: SessionHost;
let store: StoreApi<SessionStore>;

const byTestId = (id: string): HTMLElement => {
  const found = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`no element with data-testid=${id}`);
  return found;
};
const all = (id: string): HTMLElement[] => [...container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

/** Lets pushed state render: values that change with every batch re-render at most every LIVE_RENDER_MS. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, LIVE_RENDER_MS + 20));
  });
}

async function click(id: string): Promise<void> {
  await act(async () => {
    byTestId(id).click();
  });
  await settle();
}

/** Waits (in act) until `check` passes. */
async function until(check: () => void): Promise<void> {
  await act(() => vi.waitFor(check));
}

/** Chooses a lesson and starts it (a new session with its features). */
async function chooseLesson(id: string): Promise<void> {
  const select = byTestId('lesson-select') as HTMLSelectElement;
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')?.set?.call(select, id);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await click('lesson-start');
  await until(() => expect(byTestId('lesson-next').textContent).toMatch(/^Step 1\//));
}

const stepNumber = (): string => /^Step (\d+)\//.exec(byTestId('lesson-next').textContent ?? '')?.[1] ?? 'none';

/** Performs the next lesson step and waits until the lesson moved on. */
async function doStep(): Promise<void> {
  const before = stepNumber();
  await click('lesson-do');
  await until(() => expect(container.querySelector('[data-testid="lesson-finished"]') ? 'finished' : stepNumber()).not.toBe(before));
}

/** Runs lesson steps through the workbench's "Do it" button until the step text matches. */
async function doStepsUntil(next: RegExp): Promise<void> {
  for (let i = 0; i < 20 && !next.test(byTestId('lesson-next').textContent ?? ''); i++) await doStep();
  expect(byTestId('lesson-next').textContent).toMatch(next);
}

beforeEach(async () => {
  const connected = inProcessClient();
  host = connected.host;
  store = createSessionStore(connected.client);
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <SessionStoreContext.Provider value={store}>
        <App />
      </SessionStoreContext.Provider>,
    );
    await store.getState().greet();
  });
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  await host.close();
});

test('shows which backend runs and why, in the workbench', () => {
  expect(byTestId('workbench')).toBeTruthy();
  expect(byTestId('backend-kind').textContent).toBe('model');
  expect(byTestId('backend-selection').textContent).toMatch(/not present \(module not loaded\)/);
  expect(byTestId('session-mode').textContent).toBe('not negotiated yet');
});

test('register, invalidate, see the queue, read, see it drain and LAST arrive with the counter', async () => {
  await chooseLesson('last-and-counter');
  await doStepsUntil(/munmap page 2/);
  expect(byTestId('session-mode').textContent).toBe('2010 mode');
  expect(byTestId('counter-verdict').textContent).toBe('nothing queued: no read() needed');

  await doStep();
  expect(all('queue-row').map((row) => row.children[1]?.textContent)).toEqual(['0x501']);
  expect(all('queue-row')[0]?.children[2]?.textContent).toBe('HINT');
  expect(byTestId('counter-verdict').textContent).toBe('events pending');
  expect(all('read-preview-event').map((li) => li.textContent)).toEqual([
    expect.stringMatching(/^INVAL 0x501 /),
    `LAST counter ${byTestId('counter-value').textContent}`,
  ]);

  await doStep();
  expect(byTestId('queue-empty')).toBeTruthy();
  expect(byTestId('counter-last-last').textContent).toBe(byTestId('counter-value').textContent);
  expect(byTestId('counter-verdict').textContent).toBe('nothing queued: no read() needed');
  expect(byTestId('lesson-check').textContent).toMatch(/the views show this/);
  const timeline = store.getState().timeline.toArray();
  expect(timeline.filter((r) => r.kind === 'register').map((r) => r.kind === 'register' && r.cookie)).toEqual([0x501n]);
  const reads = timeline.filter((r) => r.kind === 'read');
  expect(reads.at(-1)?.kind === 'read' && reads.at(-1)?.events.map((e) => e.type)).toEqual([0, 1]);
});

test('the address map receives the per-page state the backend reports', async () => {
  await chooseLesson('last-and-counter');
  await doStepsUntil(/Write every page/);
  expect(store.getState().session?.pages?.slice(0, 8).map((p) => p.state)).toEqual(Array(8).fill('none'));
  await doStep();
  expect(store.getState().session?.pages?.slice(0, 8).map((p) => p.state)).toEqual(Array(8).fill('present'));
});

test('a state that changes no page keeps the page array, so the address map keeps its layout', async () => {
  await chooseLesson('last-and-counter');
  await doStepsUntil(/munmap page 2/);
  const before = store.getState().session?.pages;
  await doStep();
  expect(store.getState().session?.counter).not.toBe('0x0');
  expect(store.getState().session?.pages).not.toBe(before);
  const afterMunmap = store.getState().session?.pages;
  await doStep();
  expect(store.getState().session?.lastLastCounter).toBe(store.getState().session?.counter);
  expect(store.getState().session?.pages).toBe(afterMunmap);
});

test('a new session starts a new timeline', async () => {
  await chooseLesson('last-and-counter');
  await doStepsUntil(/munmap page 2/);
  expect(store.getState().timeline.length).toBeGreaterThan(0);
  await click('new-session-model');
  expect(byTestId('backend-selection').textContent).toBe('model: chosen by the user');
  expect(store.getState().timeline.length).toBe(0);
  expect(byTestId('session-mode').textContent).toBe('not negotiated yet');
});

test('a failed request shows its errno', async () => {
  const register = { kind: 'op', op: { op: 'register', start: 0n, end: 0x1000n, cookie: 1n, flags: 0 } } as const;
  await act(async () => {
    await store.getState().perform(register);
    await store.getState().perform(register);
  });
  await settle();
  expect(byTestId('error').dataset.code).toBe('EINVAL');
});
