// The main-process end of the device-session channel: numbers requests,
// matches replies, keeps the last generation counter the session reported
// (Backend.counter() is synchronous) and turns a process exit into errors
// for whatever was pending plus one 'dead' callback.

import { UmmuError, type ArenaPage } from '../../../../shared/domain';
import type { DeviceChannel } from './launcher';
import { decodeReply, decodeResult, encodeRequest, type DeviceRequest, type DeviceResultFor } from './protocol';

interface Pending {
  request: DeviceRequest;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class DeviceSessionClient {
  counter = 0n;
  /** The arena's page states, as the session last sent them. */
  pages: ArenaPage[] = [];
  exited = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private deadListener: () => void = () => {};
  private readableListener: () => void = () => {};

  constructor(private readonly channel: DeviceChannel) {
    channel.onMessage((msg) => this.receive(msg));
    channel.onExit((code) => this.exit(code));
  }

  request<R extends DeviceRequest>(request: R): Promise<DeviceResultFor<R>> {
    if (this.exited) return Promise.reject(new UmmuError('ENODEV', 'the device-session process has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request, resolve: resolve as (value: unknown) => void, reject });
      try {
        this.channel.postMessage(encodeRequest(id, request));
      } catch (err) {
        this.pending.delete(id);
        reject(new UmmuError('ENODEV', `the device-session process is gone: ${(err as Error).message}`));
      }
    });
  }

  onReadable(listener: () => void): void {
    this.readableListener = listener;
  }

  onDead(listener: () => void): void {
    this.deadListener = listener;
  }

  /** Ends the process; requests made from now on fail with ENODEV without waiting for the exit. */
  kill(): void {
    if (this.exited) return;
    this.exited = true;
    this.channel.kill();
    this.failAll(new UmmuError('ENODEV', 'the device-session process was closed'));
  }

  private receive(msg: unknown): void {
    let reply;
    try {
      reply = decodeReply(msg);
    } catch (err) {
      this.failAll(err as Error);
      this.channel.kill();
      return;
    }
    this.counter = reply.counter;
    if (reply.kind === 'pages') {
      this.pages = reply.pages;
      return;
    }
    if (reply.kind === 'readable') {
      this.readableListener();
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (!reply.ok) {
      pending.reject(new UmmuError(reply.code, reply.message));
      return;
    }
    try {
      pending.resolve(decodeResult(pending.request, reply.result));
    } catch (err) {
      pending.reject(err as Error);
    }
  }

  private failAll(err: Error): void {
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
  }

  private exit(code: number | null): void {
    if (this.exited) return;
    this.exited = true;
    const how = code === null ? 'was killed' : `exited with code ${code}`;
    this.failAll(new UmmuError('ENODEV', `the device-session process ${how}`));
    this.deadListener();
  }
}
