import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { App } from '../../../src/renderer/app/App';
import { createSessionStore, greet } from '../../../src/renderer/app/store';
import { SessionStoreContext } from '../../../src/renderer/app/store-context';
import type { SessionHost } from '../../../src/main/core/session-host';
import { inProcessClient } from './in-process-client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
let host: SessionHost;

const byTestId = (id: string): HTMLElement => {
  const found = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`no element with data-testid=${id}`);
  return found;
};
const all = (id: string): HTMLElement[] => [...container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
}

async function click(id: string): Promise<void> {
  await act(async () => {
    byTestId(id).click();
  });
  await settle();
}

async function setNumber(id: string, value: number): Promise<void> {
  const input = byTestId(id) as HTMLInputElement;
  await act(async () => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setter?.call(input, String(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

beforeEach(async () => {
  const connected = inProcessClient();
  host = connected.host;
  const store = createSessionStore(connected.client);
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <SessionStoreContext.Provider value={store}>
        <App />
      </SessionStoreContext.Provider>,
    );
    await greet(store);
  });
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  await host.close();
});

test('shows which backend runs and why', () => {
  expect(byTestId('backend-kind').textContent).toBe('model');
  expect(byTestId('backend-selection').textContent).toMatch(/not present \(module not loaded\)/);
  expect(byTestId('session-mode').textContent).toBe('not negotiated yet');
});

test('register, invalidate, see the queue, read, see it drain and LAST arrive with the counter', async () => {
  await setNumber('register-page', 0);
  await setNumber('register-pages', 4);
  await click('register-submit');
  expect(all('registration-row').map((r) => r.dataset.cookie)).toEqual(['1']);
  expect(byTestId('session-mode').textContent).toBe('2010 mode');

  await setNumber('lab-page', 1);
  await click('lab-submit');
  expect(all('queue-item').map((li) => li.textContent)).toEqual(['cookie 1']);
  expect(byTestId('registration-state').textContent).toBe('queued (hint)');
  expect(byTestId('counter').textContent).toBe('1');
  expect(byTestId('fast-path').textContent).toBe('no LAST read yet');

  await click('read-submit');
  expect(all('queue-item')).toHaveLength(0);
  expect(all('event-row').map((r) => r.dataset.type)).toEqual(['INVAL', 'LAST']);
  expect(byTestId('last-counter').textContent).toBe('1');
  expect(byTestId('fast-path').textContent).toMatch(/^unchanged/);
});

test('a failed request shows its errno', async () => {
  await click('register-submit');
  await setNumber('register-cookie', 1);
  await click('register-submit');
  expect(byTestId('error').dataset.code).toBe('EINVAL');
});
