// A plain-text summary of the selection, for pasting into a bug report:
// the selected pages and the registrations over them, the selected time
// range and what happened in it.

import type { ArenaInfo, QueryRegistration } from '../../shared/domain';
import { describeReasons, hex, pageCount, reasonName } from '../draw/format';
import { REGISTRATION_STATE_LABEL, registrationState } from '../draw/registration-state';
import { formatDuration } from '../draw/time-scale';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { Selection } from '../view-state/view-store';

export function summarizeSelection(selection: Selection, registrations: readonly QueryRegistration[], arena: ArenaInfo, buffer: TimelineBuffer): string {
  const lines: string[] = [];
  const origin = buffer.firstTime ?? 0;
  const a = selection.addresses;
  if (a) {
    const firstPage = Number((a.start - arena.base) / BigInt(arena.pageSize));
    lines.push(`Pages ${firstPage}-${firstPage + pageCount(a.start, a.end, arena.pageSize) - 1}: ${hex(a.start)}-${hex(a.end)} (${pageCount(a.start, a.end, arena.pageSize)} pages)`);
    const over = registrations.filter((r) => r.start < a.end && a.start < r.end);
    lines.push(over.length ? `Registrations over it (${over.length}):` : 'No registration over it.');
    for (const r of over) {
      const state = registrationState(r);
      const hint = state === 'clean' ? '' : `, reports ${hex(r.hintStart)}-${hex(r.hintEnd)}`;
      const reasons = describeReasons(r.reasonFlags);
      lines.push(`  cookie ${hex(r.cookie)}: ${hex(r.start)}-${hex(r.end)}, ${REGISTRATION_STATE_LABEL[state]}${hint}${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
    }
  }
  if (selection.cookie !== null && !a) lines.push(`Cookie ${hex(selection.cookie)} selected.`);
  const t = selection.time;
  if (t) {
    lines.push(`Time ${formatDuration(t.start - origin)} to ${formatDuration(t.end - origin)}:`);
    const counts = new Map<string, number>();
    const reasons = new Map<string, number>();
    let delivered = 0;
    let counterFrom: number | undefined;
    let counterTo: number | undefined;
    for (let i = buffer.indexAtTime(t.start); i < buffer.length && buffer.timeAt(i) <= t.end; i++) {
      const r = buffer.get(i);
      counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
      if (r.kind === 'invalidation') reasons.set(reasonName(r.reason), (reasons.get(reasonName(r.reason)) ?? 0) + 1);
      if (r.kind === 'read') delivered += r.events.filter((e) => e.type === 0).length;
      counterFrom ??= i > 0 ? buffer.counterAt(i - 1) : 0;
      counterTo = buffer.counterAt(i);
    }
    if (counts.size === 0) lines.push('  nothing recorded');
    for (const [kind, n] of counts) lines.push(`  ${n} ${kind}`);
    if (reasons.size) lines.push(`  invalidations by reason: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
    if (counts.has('read')) lines.push(`  INVAL events delivered by reads: ${delivered}`);
    if (counterTo !== undefined) lines.push(`  generation counter ${counterFrom} -> ${counterTo}`);
  }
  if (lines.length === 0) lines.push('Nothing selected.');
  return `${lines.join('\n')}\n`;
}
