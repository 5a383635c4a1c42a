// Command-line options of serve mode.

import { parseAttachTarget, type AttachTarget } from '../../shared/attach-target';

export type { AttachTarget };

export interface ServeArgs {
  host: string;
  /** 0 asks the system for any free port. */
  port: number;
  backend: 'auto' | 'model' | 'kernel';
  /** --attach PID[:FD], in the order given. */
  attach: AttachTarget[];
  /** --attach-all: every process of this user with the device open, and new ones as they appear. */
  attachAll: boolean;
  /** --join URL (repeatable): agents whose watched processes this core shows too (their page URLs, with tokens). */
  join: string[];
  /** --record DIR: each watched process's session is written there as a recording when it ends. */
  recordDir: string | null;
  /** --exit-when-idle SECONDS: exit once every watched process has been gone this long (null: run until stopped). */
  exitWhenIdleMs: number | null;
  /** --summarize-above RECORDS_PER_S: past this rate, pages get dense stretches counted (0: never; default SUMMARIZE_ABOVE). */
  summarizeAbove: number | null;
}

const OPTIONS_USAGE =
  '[--host ADDRESS] [--port N (0 = any free port)] [--backend auto|model|kernel] [--attach PID[:FD]]... [--attach-all] [--join AGENT_URL]... [--record DIR] [--exit-when-idle SECONDS] [--summarize-above RECORDS_PER_S (0 = never)]';
export const SERVE_USAGE = `usage: npm run serve -- ${OPTIONS_USAGE}`;
export const AGENT_USAGE = `usage: ummunotify agent ${OPTIONS_USAGE} (--attach-all and --backend model are implied)`;

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { host: '127.0.0.1', port: 0, backend: 'auto', attach: [], attachAll: false, join: [], recordDir: null, exitWhenIdleMs: null, summarizeAbove: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--attach-all') {
      args.attachAll = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag}: missing value\n${SERVE_USAGE}`);
    if (flag === '--host') args.host = value;
    else if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${value}`);
      args.port = port;
    } else if (flag === '--backend') {
      if (value !== 'auto' && value !== 'model' && value !== 'kernel') throw new Error(`--backend: expected auto, model or kernel`);
      args.backend = value;
    } else if (flag === '--attach') {
      try {
        args.attach.push(parseAttachTarget(value));
      } catch (err) {
        throw new Error(`--attach: ${(err as Error).message}`);
      }
    } else if (flag === '--record') args.recordDir = value;
    else if (flag === '--join') args.join.push(value);
    else if (flag === '--exit-when-idle') {
      const seconds = Number(value);
      if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new Error(`--exit-when-idle: expected seconds (0 or more), got ${JSON.stringify(value)}`);
      args.exitWhenIdleMs = seconds * 1000;
    } else if (flag === '--summarize-above') {
      const rate = Number(value);
      if (value.trim() === '' || !Number.isInteger(rate) || rate < 0) throw new Error(`--summarize-above: expected records a second (a whole number, 0 = never), got ${JSON.stringify(value)}`);
      args.summarizeAbove = rate;
    } else throw new Error(`unknown option ${flag}\n${SERVE_USAGE}`);
    i++;
  }
  return args;
}

/**
 * `ummunotify agent`: serve mode as a node's watcher. It attaches to every
 * process of the user that opens the device and needs no device session of
 * its own (its lab runs on the model unless --backend says otherwise).
 */
export function parseAgentArgs(argv: readonly string[]): ServeArgs {
  const args = parseServeArgs(argv);
  return { ...args, attachAll: true, backend: argv.includes('--backend') ? args.backend : 'model' };
}
