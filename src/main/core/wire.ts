// Domain values (bigint) to their wire form (hex strings) for the message
// schema in src/shared/messages.ts, and back for requests.

import type { BackendInfo, BackendNotice } from './backend';
import type { WireBackendInfo, WireError, WireNotice } from '../../shared/messages';
import { labResultToJson } from '../../shared/domain-json';
import { u64ToHex } from '../../shared/u64';

export {
  eventToJson as eventToWire,
  snapshotToJson as snapshotToWire,
  labResultToJson as labResultToWire,
} from '../../shared/domain-json';

export function noticeToWire(n: BackendNotice): WireNotice {
  switch (n.kind) {
    case 'invalidation':
      return { kind: 'invalidation', start: u64ToHex(n.start), end: u64ToHex(n.end), reason: n.reason, hits: n.hits.map(u64ToHex) };
    case 'lab':
      return { kind: 'lab', result: labResultToJson(n.result) };
    case 'dead':
      return { kind: 'dead' };
  }
}

export function backendInfoToWire(info: BackendInfo): WireBackendInfo {
  const base = { kind: info.kind, description: info.description, supportedFeatures: info.supportedFeatures, pageSize: info.pageSize };
  return info.kernelRelease === undefined ? base : { ...base, kernelRelease: info.kernelRelease };
}

/** Any thrown value as a wire error; UmmuError keeps its errno, RecordingError its line and problem. */
export function errorToWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { code: 'Error', message: String(err) };
  const fields = err as Error & { code?: unknown; line?: unknown; problem?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : err.name;
  const wire: WireError = { code, message: err.message };
  if (typeof fields.line === 'number' && Number.isInteger(fields.line) && fields.line >= 1) wire.line = fields.line;
  if (typeof fields.problem === 'string') wire.problem = fields.problem;
  return wire;
}
