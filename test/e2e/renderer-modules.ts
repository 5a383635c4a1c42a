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
  steps: LessonStepData[];
}

const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;

export const { LESSONS } = await load<{ LESSONS: readonly LessonData[] }>('src/renderer/lessons/lessons.ts');
export const { EXPORT_KEYWORD } = await load<{ EXPORT_KEYWORD: string }>('src/renderer/export/export-payload.ts');
