// Acting on the selection: register the selected pages under a cookie
// (with a FILTER mask and a generation slot where negotiated), unregister the selected cookie,
// and run lab operations on the selected pages.

import { useState } from 'react';
import { FEATURE_FILTER, FEATURE_GENERATIONS, Reason, type ArenaInfo, type LabOp, type MadviseAdvice, type Protection } from '../../shared/domain';
import { parseCookie, parseWholeNumber } from '../../shared/form-input';
import { hex, pageCount, reasonName } from '../draw/format';
import { useViewStore } from '../view-state/use-view-store';

export interface LabControlsProps {
  arena: ArenaInfo;
  features: number;
  /** Why operations cannot run (a replay); every control is disabled then. */
  readOnly: string | null;
  onRegister(start: bigint, end: bigint, cookie: bigint, flags: number, withSlot?: boolean): void;
  onUnregister(cookie: bigint): void;
  onLab(op: LabOp): void;
}

const ADVICE: readonly MadviseAdvice[] = ['DONTNEED', 'FREE', 'PAGEOUT', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
const PROTECTIONS: readonly Protection[] = ['r', 'none', 'rw'];
const FILTERABLE = Object.values(Reason);

export function LabControls({ arena, features, readOnly, onRegister, onUnregister, onLab }: LabControlsProps) {
  const selection = useViewStore((s) => s.selection.addresses);
  const selectedCookie = useViewStore((s) => s.selection.cookie);
  const [cookieText, setCookieText] = useState('1');
  const [filter, setFilter] = useState(0);
  const [withSlot, setWithSlot] = useState(true);
  const slotOffered = (features & FEATURE_GENERATIONS) !== 0;
  const [advice, setAdvice] = useState<MadviseAdvice>('DONTNEED');
  const [prot, setProt] = useState<Protection>('r');
  const [newPagesText, setNewPagesText] = useState('1');
  const cookie = parseCookie(cookieText);
  const newPages = parseWholeNumber(newPagesText, 1, arena.pages, 'mremap new size in pages');
  const size = BigInt(arena.pageSize);
  const page = selection ? Number((selection.start - arena.base) / size) : 0;
  const pages = selection ? pageCount(selection.start, selection.end, arena.pageSize) : 0;
  const lab = (op: LabOp) => () => onLab(op);
  const noLab = !selection || readOnly !== null;

  return (
    <section className="um-panel um-lab" data-testid="lab-controls">
      <h2>Selection</h2>
      {readOnly !== null && (
        <p className="um-muted" data-testid="lab-read-only">
          {readOnly}
        </p>
      )}
      <p data-testid="selection-text">
        {selection ? `pages ${page}–${page + pages - 1} (${hex(selection.start)}–${hex(selection.end)}, ${pages} pages)` : 'drag over the address map to select pages'}
      </p>
      <div className="um-row">
        <label>
          cookie{' '}
          <input
            value={cookieText}
            size={10}
            data-testid="register-cookie"
            aria-invalid={!cookie.ok}
            onChange={(e) => setCookieText(e.target.value)}
          />
        </label>
        <button
          type="button"
          data-testid="register-button"
          disabled={noLab || !cookie.ok}
          onClick={() => selection && cookie.ok && onRegister(selection.start, selection.end, cookie.value, filter, slotOffered && withSlot)}
        >
          register
        </button>
        {slotOffered && (
          <label title="REGISTER_SLOT: the registration gets a generation word that counts its hits (FEATURE_GENERATIONS)">
            <input type="checkbox" data-testid="register-with-slot" checked={withSlot} onChange={(e) => setWithSlot(e.target.checked)} />
            with generation slot
          </label>
        )}
        <button type="button" data-testid="unregister-button" disabled={selectedCookie === null || readOnly !== null} onClick={() => selectedCookie !== null && onUnregister(selectedCookie)}>
          unregister {selectedCookie === null ? '' : hex(selectedCookie)}
        </button>
      </div>
      {!cookie.ok && (
        <p className="um-error" role="alert" data-testid="register-cookie-problem">
          {cookie.problem}
        </p>
      )}
      {(features & FEATURE_FILTER) !== 0 && (
        <details className="um-filter" data-testid="register-filter">
          <summary>ignore reasons (FILTER){filter ? `: 0x${filter.toString(16)}` : ''}</summary>
          {FILTERABLE.map((r) => (
            <label key={r}>
              <input type="checkbox" checked={(filter & (1 << r)) !== 0} onChange={(e) => setFilter(e.target.checked ? filter | (1 << r) : filter & ~(1 << r))} />
              {reasonName(r)}
            </label>
          ))}
        </details>
      )}
      <div className="um-row" data-testid="lab-ops">
        <button type="button" disabled={noLab} onClick={lab({ op: 'touch', page, pages })}>
          touch
        </button>
        <button type="button" disabled={noLab} onClick={lab({ op: 'read', page, pages })}>
          read
        </button>
        <button type="button" disabled={noLab} data-testid="lab-munmap" onClick={lab({ op: 'munmap', page, pages })}>
          munmap
        </button>
        <button type="button" disabled={noLab} onClick={lab({ op: 'mmap', page, pages })}>
          mmap
        </button>
        <button type="button" disabled={noLab} onClick={lab({ op: 'fork', page, pages })}>
          fork + write
        </button>
      </div>
      <div className="um-row">
        <select value={advice} aria-label="madvise advice" data-testid="lab-advice" onChange={(e) => setAdvice(e.target.value as MadviseAdvice)}>
          {ADVICE.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <button type="button" disabled={noLab} onClick={lab({ op: 'madvise', page, pages, advice })}>
          madvise
        </button>
        <select value={prot} aria-label="mprotect protection" data-testid="lab-prot" onChange={(e) => setProt(e.target.value as Protection)}>
          {PROTECTIONS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <button type="button" disabled={noLab} onClick={lab({ op: 'mprotect', page, pages, prot })}>
          mprotect
        </button>
        <label>
          new size{' '}
          <input
            type="number"
            min={1}
            value={newPagesText}
            className="um-narrow"
            data-testid="lab-mremap-pages"
            aria-invalid={!newPages.ok}
            onChange={(e) => setNewPagesText(e.target.value)}
          />{' '}
          pages
        </label>
        <button type="button" disabled={noLab || !newPages.ok} onClick={() => newPages.ok && onLab({ op: 'mremap', page, pages, newPages: newPages.value })}>
          mremap
        </button>
      </div>
      {!newPages.ok && (
        <p className="um-error" role="alert">
          {newPages.problem}
        </p>
      )}
    </section>
  );
}
