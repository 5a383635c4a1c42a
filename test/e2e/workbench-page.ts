// Driving the workbench in a real page the way a user does: dragging over
// the address map to select pages, the lesson buttons, the file inputs;
// reading the view state the workbench shows on its root element.

import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LessonData } from './renderer-modules';
import { helloState } from './serve-process';

/** The part of the serialized view state the tests read; compared whole with toEqual. */
export interface ViewStateJson {
  addressDomain: { start: string; end: string } | null;
  timeDomain: { start: number; end: number } | null;
  followLive: boolean;
  theme: 'light' | 'dark';
}

export const LESSON_SHOWN = '✓ the views show this';

export class WorkbenchPage {
  constructor(
    readonly page: Page,
    private readonly arenaPages: number,
  ) {}

  /** Loads serve mode's page at `url` (with its token) in `page`. */
  static async open(page: Page, url: URL): Promise<WorkbenchPage> {
    await page.goto(url.href);
    return new WorkbenchPage(page, (await helloState(url)).arena.pages);
  }

  byTestId(id: string) {
    return this.page.getByTestId(id);
  }

  async viewState(): Promise<ViewStateJson> {
    return JSON.parse((await this.byTestId('workbench').getAttribute('data-view-state')) ?? 'null') as ViewStateJson;
  }

  /** Drags across the address map's page backdrop from page `first` to page `last` (the map shows the whole arena). */
  async selectPages(first: number, last: number): Promise<void> {
    const box = await this.byTestId('address-map-canvas').boundingBox();
    if (!box) throw new Error('address map not laid out');
    const x = (page: number) => box.x + ((page + 0.5) * box.width) / this.arenaPages;
    const y = box.y + 30;
    await this.page.mouse.move(x(first), y);
    await this.page.mouse.down();
    await this.page.mouse.move(x(last), y, { steps: 4 });
    await this.page.mouse.up();
    await expect.poll(() => this.byTestId('selection-text').textContent()).toMatch(new RegExp(`^pages ${first}–${last} `));
  }

  /** Zooms the address map with the wheel until the first `pages` pages fill most of it. */
  async zoomAddressMapOnto(pages: number): Promise<void> {
    const box = await this.byTestId('address-map-canvas').boundingBox();
    if (!box) throw new Error('address map not laid out');
    await this.page.mouse.move(box.x + 1, box.y + box.height / 2);
    // d3-zoom scales by 2^0.2 per wheel notch of 100 pixels.
    const notches = Math.floor(Math.log2(this.arenaPages / (pages * 1.25)) / 0.2);
    for (let i = 0; i < notches; i++) await this.page.mouse.wheel(0, -100);
  }

  /** The cookies of the invalid queue's rows, in read() order. */
  queueCookies(): Promise<string[]> {
    return this.byTestId('queue-row').evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent ?? ''));
  }

  logKinds(): Promise<string[]> {
    return this.page.locator('[data-testid="log-row"] .um-log-kind').allTextContents();
  }

  /** Chooses the lesson and starts it: a new session with its features negotiated, the lesson at step 1. */
  async startLesson(lesson: LessonData): Promise<void> {
    await this.byTestId('lesson-select').selectOption(lesson.id);
    // The lesson may already be running (chosen before): then it is restarted.
    await this.byTestId((await this.byTestId('lesson-start').count()) ? 'lesson-start' : 'lesson-restart').click();
    await expect.poll(() => this.byTestId('lesson-next').textContent()).toMatch(/^Step 1\//);
    await expect.poll(() => this.byTestId('session-mode').textContent()).toBe(lesson.needs === 0 ? '2010 mode' : 'extended');
  }

  /** Does lesson step `n` and waits until it is done (the panel shows it as the step before the next). */
  async doLessonStep(n: number): Promise<void> {
    await this.byTestId('lesson-do').click();
    await expect.poll(() => this.byTestId('lesson-previous').textContent()).toMatch(new RegExp(`^Step ${n}:`));
  }

  /** Fits the whole arena into the address map again ("0"), as selectPages expects. */
  async fitAddressMap(): Promise<void> {
    await this.page.evaluate('document.activeElement && document.activeElement.blur()');
    await this.page.keyboard.press('0');
    await expect.poll(async () => (await this.viewState()).addressDomain).toBeNull();
  }

  /** Waits until the address map has followed a change of the window's width (its canvas fills its box again). */
  async mapResized(): Promise<void> {
    await expect
      .poll(() => this.byTestId('address-map').evaluate((box) => Math.abs(box.clientWidth - (box.querySelector('canvas')?.clientWidth ?? 0))))
      .toBeLessThanOrEqual(1);
  }

  /** Clears the selection with Esc (not while a text field has the focus, where Esc is the field's). */
  async clearSelection(): Promise<void> {
    await this.page.evaluate('document.activeElement && document.activeElement.blur()');
    await this.page.keyboard.press('Escape');
    await expect.poll(() => this.byTestId('selection-text').textContent()).toBe('drag over the address map to select pages');
  }

  /**
   * Records a fresh model session (cookie 5 over pages 0-1, then page 1
   * unmapped: one report) and opens the recording for replay; returns its
   * file name.
   */
  async recordAndReplay(): Promise<string> {
    await this.byTestId('new-session-model').click();
    await expect.poll(() => this.byTestId('session-mode').textContent()).toBe('not negotiated yet');
    await this.byTestId('record-start').click();
    await expect.poll(() => this.byTestId('record-stop').count()).toBe(1);
    await this.selectPages(0, 1);
    await this.byTestId('register-cookie').fill('5');
    await this.byTestId('register-button').click();
    await this.selectPages(1, 1);
    await this.byTestId('lab-munmap').click();
    await expect.poll(() => this.queueCookies()).toEqual(['0x5']);
    const saved = await this.download('record-stop');
    const name = saved.suggestedFilename();
    await this.byTestId('open-recording').setInputFiles({ name, mimeType: 'application/x-ndjson', buffer: readFileSync((await saved.path()) ?? '') });
    await expect.poll(() => this.byTestId('backend-kind').textContent()).toBe('replay');
    return name;
  }

  /** The replay's position and total, from "position/total". */
  async replayPosition(): Promise<number[]> {
    return ((await this.byTestId('replay-position').textContent()) ?? '').split('/').map(Number);
  }

  /** Saves what clicking `id` downloads. */
  async download(id: string): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.byTestId(id).click()]);
    return download;
  }
}
