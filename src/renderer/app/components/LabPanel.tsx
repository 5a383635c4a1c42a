import { useState, type FormEvent } from 'react';
import { useSession } from '../store-context';
import type { LabOp, MadviseAdvice, Protection } from '../../../shared/domain';
import { LAB_OPS, MADVISE_ADVICE, PROTECTIONS, type LabOpName } from '../../../shared/messages';

function labOp(op: LabOpName, page: number, pages: number, advice: MadviseAdvice, prot: Protection): LabOp {
  switch (op) {
    case 'madvise':
      return { op, page, pages, advice };
    case 'mprotect':
      return { op, page, pages, prot };
    case 'mremap':
      return { op, page, pages, newPages: Math.max(1, Math.floor(pages / 2)) };
    default:
      return { op, page, pages };
  }
}

/** Changes the lab arena (munmap, touch, madvise...) to produce invalidations. */
export function LabPanel() {
  const session = useSession((s) => s.session);
  const perform = useSession((s) => s.perform);
  const [op, setOp] = useState<LabOpName>('munmap');
  const [page, setPage] = useState(1);
  const [pages, setPages] = useState(1);
  const [advice, setAdvice] = useState<MadviseAdvice>('DONTNEED');
  const [prot, setProt] = useState<Protection>('r');
  if (!session) return null;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void perform({ kind: 'lab', lab: labOp(op, page, pages, advice, prot) });
  };
  return (
    <form className="panel" onSubmit={submit} data-testid="lab-form">
      <h2>Lab ({session.arena.pages} pages at {session.arena.base})</h2>
      <select value={op} data-testid="lab-op" onChange={(e) => setOp(LAB_OPS.find((o) => o === e.target.value) ?? 'munmap')}>
        {LAB_OPS.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
      <label>
        page <input type="number" min={0} value={page} data-testid="lab-page" onChange={(e) => setPage(e.target.valueAsNumber || 0)} />
      </label>
      <label>
        pages <input type="number" min={1} value={pages} data-testid="lab-pages" onChange={(e) => setPages(e.target.valueAsNumber || 1)} />
      </label>
      {op === 'madvise' && (
        <select value={advice} data-testid="lab-advice" onChange={(e) => setAdvice(MADVISE_ADVICE.find((a) => a === e.target.value) ?? 'DONTNEED')}>
          {MADVISE_ADVICE.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      )}
      {op === 'mprotect' && (
        <select value={prot} data-testid="lab-prot" onChange={(e) => setProt(PROTECTIONS.find((p) => p === e.target.value) ?? 'r')}>
          {PROTECTIONS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      )}
      <button type="submit" data-testid="lab-submit">
        Apply
      </button>
    </form>
  );
}
