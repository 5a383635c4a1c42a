// Core values to the message schema's JSON-ready forms (src/shared/messages.ts):
// the backend's description and any thrown error.

import type { BackendInfo } from './backend';
import type { WireBackendInfo, WireError } from '../../shared/messages';

export function backendInfoToWire(info: BackendInfo): WireBackendInfo {
  const base = { kind: info.kind, description: info.description, supportedFeatures: info.supportedFeatures, pageSize: info.pageSize };
  return {
    ...base,
    ...(info.kernelRelease !== undefined && { kernelRelease: info.kernelRelease }),
    ...(info.process !== undefined && { process: { ...info.process } }),
  };
}

/** Any thrown value as a wire error; UmmuError keeps its errno, RecordingError its line and problem. */
export function errorToWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { code: 'Error', message: String(err) };
  const fields = err as Error & { code?: unknown; line?: unknown; problem?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : err.name;
  const wire: WireError = { code, message: err.message };
  if (typeof fields.line === 'number' && Number.isInteger(fields.line) && fields.line >= 1) wire.line = fields.line;
  if (wire.line !== undefined && typeof fields.problem === 'string') wire.problem = fields.problem;
  return wire;
}
