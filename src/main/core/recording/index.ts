export * from './format';
export { recordingLines } from './encode';
export { Recorder, recordToFile } from './recorder';
export type { FileRecording, LineSink, RecorderOptions, RecordingHeaderFields } from './recorder';
export { RecordingError, RecordingLineReader, parseRecording, readRecordingFile } from './reader';
export { runSessionOp, recordingHeaderFor } from './session-op';
