// The one place where a SessionOp (what recordings and messages carry) turns
// into a Backend call, and what the recording header says about a backend.

import type { SessionOp } from '../../../shared/domain';
import type { Backend } from '../backend';
import type { OpResultFor } from './format';
import type { RecordingHeaderFields } from './recorder';

export async function runSessionOp<O extends SessionOp>(backend: Backend, op: O): Promise<OpResultFor<O>> {
  // TypeScript cannot tie each case's result type to O, hence the casts.
  const request: SessionOp = op;
  switch (request.op) {
    case 'negotiateFeatures':
      return (await backend.negotiateFeatures(request.requested)) as OpResultFor<O>;
    case 'register':
      if (request.withSlot === true) return (await backend.registerSlot(request.start, request.end, request.cookie, request.flags)) as OpResultFor<O>;
      await backend.register(request.start, request.end, request.cookie, request.flags);
      return null as OpResultFor<O>;
    case 'unregister':
      await backend.unregister(request.cookie);
      return null as OpResultFor<O>;
    case 'read':
      return (await backend.read(request.maxEvents)) as OpResultFor<O>;
    case 'query':
      return (await backend.query()) as OpResultFor<O>;
    case 'lab':
      return (await backend.lab(request.lab)) as OpResultFor<O>;
  }
}

/** Header fields for a recording of `backend`, whose file was granted `features`. */
export function recordingHeaderFor(backend: Backend, features: number, description?: string): RecordingHeaderFields {
  const info = backend.info();
  const arena = backend.arena();
  const fields: RecordingHeaderFields = {
    backend: info.kind,
    description: description ?? info.description,
    features,
    pageSize: info.pageSize,
    arena: { base: arena.base, pages: arena.pages },
  };
  if (info.kernelRelease !== undefined) fields.kernelRelease = info.kernelRelease;
  if (info.process !== undefined) fields.process = info.process;
  return fields;
}
