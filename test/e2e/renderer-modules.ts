// The renderer's own lessons and export keyword, loaded at run time: this
// directory is type-checked as a Node project, which cannot see renderer
// sources, so the shapes the tests read are restated here.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './serve-process';

export interface LessonStepData {
  explain: string;
  expect?: {
    queue?: { cookie: bigint; report: 'HINT' | 'HINT union' | 'whole range'; pages: [number, number] }[];
    pending?: boolean;
  };
}

export interface LessonData {
  id: string;
  needs: number;
  /** Arena pages the lesson touches; starting it zooms the map onto them. */
  pages: number;
  steps: LessonStepData[];
}

const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

export const { LESSONS } = await load<{ LESSONS: readonly LessonData[] }>('src/renderer/lessons/lessons.ts');
export const { EXPORT_KEYWORD } = await load<{ EXPORT_KEYWORD: string }>('src/renderer/export/export-payload.ts');

/** Where the address map draws its parts (draw/address-map.ts). */
export interface AddressMapLayoutData {
  backdropTop: number;
  flashTop: number;
  flashHeight: number;
  laneTop: number;
  laneHeight: number;
  laneGap: number;
}

export interface LegendData {
  items: { label: string; colour: string; x: number; y: number }[];
  height: number;
}

export const { ADDRESS_MAP_LAYOUT, ADDRESS_MAP_LEGEND } = await load<{ ADDRESS_MAP_LAYOUT: AddressMapLayoutData; ADDRESS_MAP_LEGEND: readonly unknown[] }>(
  'src/renderer/draw/address-map.ts',
);
export const { TIMELINE_LEGEND } = await load<{ TIMELINE_LEGEND: readonly unknown[] }>('src/renderer/draw/timeline.ts');
export const { layoutLegend } = await load<{ layoutLegend(entries: readonly unknown[], width: number): LegendData }>('src/renderer/draw/legend.ts');
export const { PALETTES } = await load<{ PALETTES: Record<'light' | 'dark', Record<string, string>> }>('src/renderer/draw/palette.ts');
