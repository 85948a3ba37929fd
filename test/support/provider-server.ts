// A real SMM "API v2" provider on loopback: an in-memory order table, every request recorded,
// and per-action fault modes for testing how the client copes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Result } from '../../server/providers/api-v2';

export type Action = 'status' | 'refill' | 'refill_status' | 'cancel' | 'balance';

/** error: top-level {"error"} (echoing the key, as careless panels do); http500; html: a non-JSON error page;
 *  slow: answer after `delayMs`; destroy: drop the socket without answering; http403: a bare 4xx. */
export type Fault = 'error' | 'http500' | 'html' | 'slow' | 'destroy' | 'http403';

export interface FakeOrder {
  status: string;
  charge?: string;
  startCount?: number;
  remains?: number;
  currency?: string;
  cancelable?: boolean;
  refillable?: boolean;
}

export interface RecordedRequest {
  action: string;
  params: Record<string, string>;
  keyOk: boolean;
  contentType: string;
}

export interface ProviderServer {
  url: string;
  key: string;
  orders: Map<string, FakeOrder>;
  refills: Map<string, string>;
  requests: RecordedRequest[];
  faults: Partial<Record<Action, Fault>>;
  delayMs: number;
  /** How numbers are written in answers. */
  numbers: 'string' | 'number';
  balance: string;
  requestsFor(action: Action): RecordedRequest[];
  close(): Promise<void>;
}

export async function startProviderServer(key = 'test-key'): Promise<ProviderServer> {
  const timers = new Set<NodeJS.Timeout>();
  const state: Omit<ProviderServer, 'url' | 'close'> = {
    key,
    orders: new Map(),
    refills: new Map(),
    requests: [],
    faults: {},
    delayMs: 1000,
    numbers: 'string',
    balance: '100.84292',
    requestsFor: (action) => state.requests.filter((r) => r.action === action),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const params = Object.fromEntries([...form].filter(([name]) => name !== 'key' && name !== 'action'));
      const action = form.get('action') ?? '';
      const keyOk = form.get('key') === state.key;
      state.requests.push({ action, params, keyOk, contentType: req.headers['content-type'] ?? '' });
      const fault = state.faults[action as Action];
      const send = (status: number, body: string, type = 'application/json') => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(status, { 'content-type': type }).end(body);
      };
      if (fault === 'destroy') return void req.socket.destroy();
      if (fault === 'http500') return send(500, JSON.stringify({ message: 'Internal error' }));
      if (fault === 'http403') return send(403, 'Forbidden', 'text/plain');
      if (fault === 'html') return send(200, `<html><body>502 Bad Gateway ${form.get('key')}</body></html>`, 'text/html');
      if (fault === 'error') return send(200, JSON.stringify({ error: `Invalid request for key ${form.get('key')}` }));
      const body = JSON.stringify(keyOk ? answer(action, params) : { error: 'Invalid API key' });
      if (fault !== 'slow') return send(200, body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(200, body);
      }, state.delayMs);
      timers.add(timer);
    });
  });

  function num(value: number | string | undefined): number | string | undefined {
    if (value === undefined) return undefined;
    return state.numbers === 'number' ? Number(value) : String(value);
  }

  function orderJson(order: FakeOrder) {
    return {
      charge: num(order.charge),
      start_count: num(order.startCount),
      status: order.status,
      remains: num(order.remains),
      currency: order.currency,
    };
  }

  function answer(action: string, params: Record<string, string>): unknown {
    switch (action) {
      case 'status': {
        if (params.orders !== undefined) {
          const ids = params.orders.split(',');
          return Object.fromEntries(ids.map((id) => [id, lookup(id)]));
        }
        return lookup(params.order ?? '');
      }
      case 'refill': {
        const order = state.orders.get(params.order ?? '');
        if (!order) return { error: 'Incorrect order ID' };
        if (!order.refillable) return { error: 'Refill is not available for this order' };
        const refillId = String(state.refills.size + 1);
        state.refills.set(refillId, 'Pending');
        return { refill: num(refillId) };
      }
      case 'refill_status': {
        const status = state.refills.get(params.refill ?? '');
        return status === undefined ? { error: 'Incorrect refill ID' } : { status };
      }
      case 'cancel':
        return (params.orders ?? '').split(',').map((id) => {
          const order = state.orders.get(id);
          const error = !order ? 'Incorrect order ID' : !order.cancelable ? 'Cancel is not available' : null;
          if (order && !error) order.status = 'Canceled';
          return { order: num(id), cancel: error ? { error } : num(1) };
        });
      case 'balance':
        return { balance: num(state.balance), currency: 'USD' };
      default:
        return { error: 'Incorrect request' };
    }
  }

  function lookup(id: string) {
    const order = state.orders.get(id);
    return order ? orderJson(order) : { error: 'Incorrect order ID' };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/api/v2`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** The value of a provider client answer that must have succeeded; fails the test otherwise. */
export function okValue<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
}
