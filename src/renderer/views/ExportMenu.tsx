// Export and import: pictures (SVG or PNG of the map, the timeline or both,
// carrying the view and the recording slice), Chrome trace JSON for
// Perfetto, a text summary of the selection; opening an exported picture
// restores its view.

import { useState } from 'react';
import type { ArenaInfo, QueryRegistration } from '../../shared/domain';
import type { ArenaPage } from '../draw/address-map';
import { recordingSlice, type ExportPayload } from '../export/export-payload';
import { exportPng, exportSvg, readExport, type ExportTarget } from '../export/picture';
import { summarizeSelection } from '../export/selection-summary';
import { toTraceEvents } from '../export/trace-event';
import { effectiveTimeDomain } from '../view-state/time-domain';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { useViewStoreApi } from '../view-state/use-view-store';
import { viewStateData } from '../view-state/view-store';

export interface ExportMenuProps {
  buffer: TimelineBuffer;
  registrations: readonly QueryRegistration[];
  queue: readonly bigint[];
  counter: bigint;
  lastLastCounter: bigint;
  arena: ArenaInfo;
  pages: readonly ArenaPage[];
  /** The negotiated feature mask, for the picture's corner. */
  features: number;
  /** Where the data comes from, for the picture's corner. */
  source?: { backend: string; kernelRelease: string | null };
  /** Opening an export: the payload after its view state has been restored. */
  onOpenExport?(payload: ExportPayload): void;
  /** An export or an opened file failed. */
  onError?(message: string): void;
}

const EXPORT_WIDTH = 1400;

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportMenu(props: ExportMenuProps) {
  const store = useViewStoreApi();
  const [target, setTarget] = useState<ExportTarget>('both');
  const [summary, setSummary] = useState<string | null>(null);

  const payload = (): ExportPayload => {
    const view = viewStateData(store.getState());
    const span = view.selection.time ?? effectiveTimeDomain(view, props.buffer);
    return {
      view,
      records: recordingSlice(props.buffer, span),
      snapshot: {
        arena: props.arena,
        pages: [...props.pages],
        registrations: [...props.registrations],
        queue: [...props.queue],
        counter: props.counter,
        lastLastCounter: props.lastLastCounter,
      },
      ...(props.source && { source: { ...props.source, features: props.features, exportedAt: new Date().toISOString() } }),
    };
  };
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const run = (what: () => Promise<void> | void) => async () => {
    try {
      await what();
    } catch (error) {
      props.onError?.(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="um-row um-export" data-testid="export-menu">
      <select value={target} aria-label="what to export" data-testid="export-target" onChange={(e) => setTarget(e.target.value as ExportTarget)}>
        <option value="both">map + timeline</option>
        <option value="map">address map</option>
        <option value="timeline">timeline</option>
      </select>
      <button type="button" data-testid="export-svg" onClick={run(() => download(`ummunotify-${target}-${stamp()}.svg`, exportSvg(payload(), target, EXPORT_WIDTH), 'image/svg+xml'))}>
        SVG
      </button>
      <button
        type="button"
        data-testid="export-png"
        onClick={run(async () => {
          const png = await exportPng(payload(), target, EXPORT_WIDTH, document.createElement('canvas'));
          download(`ummunotify-${target}-${stamp()}.png`, png.slice().buffer, 'image/png');
        })}
      >
        PNG
      </button>
      <button
        type="button"
        data-testid="export-trace"
        onClick={run(() => download(`ummunotify-${stamp()}.trace.json`, JSON.stringify(toTraceEvents(props.buffer)), 'application/json'))}
      >
        Trace (Perfetto)
      </button>
      <button
        type="button"
        data-testid="export-summary"
        onClick={() => setSummary(summarizeSelection(store.getState().selection, props.registrations, props.arena, props.buffer))}
      >
        Summary
      </button>
      <label className="um-open">
        Open export…
        <input
          type="file"
          accept=".svg,.png,image/svg+xml,image/png"
          data-testid="export-open"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            void run(async () => {
              const opened = readExport(new Uint8Array(await file.arrayBuffer()));
              store.getState().restore(opened.view);
              props.onOpenExport?.(opened);
            })();
          }}
        />
      </label>
      {summary !== null && (
        <div className="um-overlay" data-testid="summary-overlay" onClick={() => setSummary(null)}>
          <div className="um-overlay-card" onClick={(e) => e.stopPropagation()}>
            <h2>Selection summary</h2>
            <textarea readOnly aria-label="selection summary" value={summary} rows={14} cols={90} data-testid="summary-text" />
            <div className="um-row">
              <button type="button" onClick={() => void navigator.clipboard?.writeText(summary)}>
                Copy
              </button>
              <button type="button" onClick={() => setSummary(null)}>
                Close
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
