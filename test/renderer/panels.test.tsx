// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Counter } from '../../src/renderer/views/Counter';
import { InvalidQueue } from '../../src/renderer/views/InvalidQueue';
import { previewRead } from '../../src/renderer/views/read-preview';
import { fire, render, typeInto, type Rendered } from './render';
import { page, registrations } from './fixtures';

let view: Rendered | undefined;
afterEach(async () => {
  await view?.unmount();
  view = undefined;
});

describe('Counter', () => {
  it('says no read() is needed when the counter equals the last LAST counter', async () => {
    view = await render(<Counter counter={7n} lastLastCounter={7n} />);
    expect(view.byTestId('counter-verdict').textContent).toBe('nothing queued: no read() needed');
    await view.rerender(<Counter counter={8n} lastLastCounter={7n} />);
    expect(view.byTestId('counter-verdict').textContent).toBe('events pending');
    expect(view.byTestId('counter-value').textContent).toBe('8');
    expect(view.byTestId('counter-last-last').textContent).toBe('7');
  });
});

describe('InvalidQueue', () => {
  const queue = [1n, 2n];
  const props = { queue, registrations, counter: 5n, needEmpty: false, pageSize: 4096, readOnly: null };

  it('lists reports in kernel order with HINT or whole range, hint range and reasons', async () => {
    view = await render(<InvalidQueue {...props} onRead={() => undefined} />);
    const rows = view.allByTestId('queue-row').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['1', '0x1', 'HINT'],
      ['2', '0x2', 'whole range'],
    ]);
    expect(view.allByTestId('queue-row-detail').map((r) => r.textContent)).toEqual([
      `hint 0x${page(2).toString(16)}–0x${page(3).toString(16)} (1 p); reasons UNMAP`,
      `hint 0x${page(2).toString(16)}–0x${page(6).toString(16)} (4 p); reasons UNMAP, CLEAR`,
    ]);
  });

  it('previews a partial read (no LAST) and a draining read (LAST with the counter)', async () => {
    const onRead = vi.fn();
    view = await render(<InvalidQueue {...props} onRead={onRead} />);
    const preview = () => view!.allByTestId('read-preview-event').map((li) => li.textContent);
    expect(preview()).toHaveLength(3);
    expect(preview()[2]).toBe('LAST counter 5');
    await typeInto(view.byTestId('read-buffer-events') as HTMLInputElement, '1');
    expect(preview()).toEqual([`INVAL 0x1 HINT 0x${page(2).toString(16)}–0x${page(3).toString(16)}`]);
    expect(view.byTestId('read-preview-more').textContent).toContain('1 more queued');
    await fire(view.byTestId('read-button'), new MouseEvent('click', { bubbles: true }));
    expect(onRead).toHaveBeenCalledWith(1);
  });

  it('shows EAGAIN when nothing is readable, and a lone LAST when only "need empty" is pending', async () => {
    view = await render(<InvalidQueue {...props} queue={[]} onRead={() => undefined} />);
    expect(view.byTestId('read-preview-eagain')).toBeTruthy();
    await view.rerender(<InvalidQueue {...props} queue={[]} needEmpty onRead={() => undefined} />);
    expect(view.allByTestId('read-preview-event').map((li) => li.textContent)).toEqual(['LAST counter 5']);
  });

  it('lists at most 200 reports and counts the rest', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...registrations[1]!, cookie: BigInt(i + 10) }));
    view = await render(<InvalidQueue {...props} queue={many.map((r) => r.cookie)} registrations={many} onRead={() => undefined} />);
    expect(view.allByTestId('queue-row')).toHaveLength(200);
    expect(view.byTestId('queue-more').textContent).toBe('and 50 more');
  });

  it('needs a buffer larger than the queue for LAST to fit', () => {
    const exact = previewRead([1n, 2n], registrations, 9n, false, 2);
    expect(exact.readable && exact.events.map((e) => e.type)).toEqual([0, 0]);
    expect(exact.readable && exact.drains).toBe(false);
  });
});
