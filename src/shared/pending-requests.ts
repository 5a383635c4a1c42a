// Requests sent over one connection and waiting for their answers: each
// gets the next id; an answer is decoded by what its request asked for and
// settles that request's promise (an error answer through `failure`); a
// lost connection fails every one still waiting.

import { decodeResponse, encodeClientFrame } from './message-codec';
import type { Request, ResultFor, WireError } from './messages';
import type { JsonObject } from './codec/fields';

interface Waiting {
  request: Request;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class PendingRequests {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  /** @param failure the error a request rejects with when the answer is an error. */
  constructor(private readonly failure: (error: WireError) => Error) {}

  /** Sends `request` as a client frame through `send`; resolves with its decoded result. */
  send<R extends Request>(request: R, send: (frame: JsonObject) => void): Promise<ResultFor<R>> {
    const id = this.nextId++;
    return new Promise<ResultFor<R>>((resolve, reject) => {
      this.waiting.set(id, { request, resolve: resolve as (value: unknown) => void, reject });
      send(encodeClientFrame({ id, request }));
    });
  }

  /** Settles the request that answer `id` is for; false when none waits for it. */
  answer(id: number, response: unknown): boolean {
    const waiter = this.waiting.get(id);
    if (!waiter) return false;
    this.waiting.delete(id);
    try {
      const decoded = decodeResponse(waiter.request, response);
      if (decoded.ok) waiter.resolve(decoded.result);
      else waiter.reject(this.failure(decoded.error));
    } catch (err) {
      waiter.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return true;
  }

  /** Fails every request still waiting with `err`. */
  failAll(err: Error): void {
    for (const { reject } of this.waiting.values()) reject(err);
    this.waiting.clear();
  }
}
