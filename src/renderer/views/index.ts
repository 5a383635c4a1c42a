// What the app mounts: the workbench and the types of its props.

export { Workbench, type WorkbenchProps } from './Workbench';
export type { ArenaPage } from '../draw/address-map';
export type { TimelineRecord } from '../../shared/timeline-record';
export { TimelineBuffer } from '../view-state/timeline-buffer';
export type { ViewStore, ViewStateData } from '../view-state/view-store';
