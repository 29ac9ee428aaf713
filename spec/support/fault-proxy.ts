// A loopback HTTP proxy that sits between the SDK clients and fauxqs and injects faults on demand:
// refused and reset connections, responses cut halfway, delays past the client's timeout, throttling
// and 5xx answers. It counts every request and every fault per SQS/SNS action, so scenario specs can
// prove what the library went through. Test support only; it binds to 127.0.0.1 and never elsewhere.
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * - `refuse`: the request's connection is closed at once without an answer (the client sees a reset).
 * - `cut`: the request reaches the server, whose answer is cut off after its headers and part of the body
 *   (the server may have acted, e.g. deleted or hidden a message, yet the client never learns it).
 * - `delay`: the request is held for `delayMs` (default: until the client gives up), then forwarded.
 * - `throttle`: HTTP 400 with the AWS JSON-protocol `ThrottlingException`, which the SDK classifies as throttling.
 * - `server-error`: HTTP `status` (default 500) with an AWS JSON-protocol `InternalError`.
 */
export type FaultKind = 'refuse' | 'cut' | 'delay' | 'throttle' | 'server-error';
export const FAULT_KINDS: readonly FaultKind[] = ['refuse', 'cut', 'delay', 'throttle', 'server-error'];

export interface FaultRule {
  kind: FaultKind;
  /** Fraction of matching requests that get the fault, 0..1 (default 1: every one). */
  rate?: number;
  /** Only requests for these actions (e.g. 'ReceiveMessage'); default all. */
  actions?: readonly string[];
  /** For `delay`: how long to hold the request (default 10 minutes, i.e. past any sane client timeout). */
  delayMs?: number;
  /** For `server-error`: the HTTP status (default 500). */
  status?: number;
}

export interface ActionStats {
  requests: number;
  forwarded: number;
  faults: Record<FaultKind, number>;
}

export interface ProxyStats {
  /** Requests that reached the proxy (whatever happened to them). */
  requests: number;
  /** Requests passed on to the server (cut ones too, and delayed ones whose client was still waiting). */
  forwarded: number;
  /** Faults injected, in all. */
  faults: number;
  faultsByKind: Record<FaultKind, number>;
  /** TCP connections opened to the proxy, including those dropped on accept during `goDark()`. */
  connections: number;
  byAction: Record<string, ActionStats>;
}

export interface FaultHandle {
  /** Stops injecting this rule. */
  remove(): void;
}

export interface FaultProxyOptions {
  /** The server to forward to, e.g. fauxqs's `http://127.0.0.1:PORT`. */
  target: string;
  /** Random source in [0, 1) used for `rate` (default Math.random); pass a seeded one for repeatable runs. */
  random?: () => number;
}

const zeroFaults = (): Record<FaultKind, number> => ({ refuse: 0, cut: 0, delay: 0, throttle: 0, 'server-error': 0 });

function emptyStats(): ProxyStats {
  return { requests: 0, forwarded: 0, faults: 0, faultsByKind: zeroFaults(), connections: 0, byAction: {} };
}

/** The SQS action from `X-Amz-Target: AmazonSQS.ReceiveMessage`, or the query protocol's `Action=`. */
export function actionOf(headers: IncomingMessage['headers'], body: Buffer): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) return target.slice(target.lastIndexOf('.') + 1);
  const match = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('latin1', 0, Math.min(body.length, 4096)));
  return match?.[1] ?? 'unknown';
}

/** JSON-protocol error bodies shaped as SQS sends them, so the SDK parses them like the real thing. */
function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-query-error': `${type};${status >= 500 ? 'Receiver' : 'Sender'}`,
    'x-amzn-requestid': `fault-${Date.now()}`,
  });
  res.end(body);
}

export class FaultProxy {
  private readonly server: Server;
  private readonly target: URL;
  private readonly random: () => number;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly sockets = new Set<Socket>();
  private rules: FaultRule[] = [];
  private refuseConnections = false;
  private port = 0;
  private counters = emptyStats();

  private constructor(options: FaultProxyOptions) {
    this.target = new URL(options.target);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.target.hostname)) {
      throw new Error(`FaultProxy forwards to loopback only, not ${this.target.hostname}`);
    }
    this.random = options.random ?? Math.random;
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => {
      this.counters.connections += 1;
      if (this.refuseConnections) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a proxy on 127.0.0.1 and a free port. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await proxy.listen(0);
    return proxy;
  }

  /** Where clients should send their requests. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds a fault rule (checked in the order added; the first that applies wins). */
  inject(rule: FaultRule): FaultHandle {
    const rate = rule.rate ?? 1;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${rate}`);
    if (!FAULT_KINDS.includes(rule.kind)) throw new RangeError(`unknown fault kind ${String(rule.kind)}`);
    const copy = { ...rule };
    this.rules.push(copy);
    return { remove: () => void (this.rules = this.rules.filter((r) => r !== copy)) };
  }

  /** Injects a rule for a time window; resolves when the window is over and the rule removed. */
  async injectFor(rule: FaultRule, ms: number): Promise<void> {
    const handle = this.inject(rule);
    await new Promise((resolve) => setTimeout(resolve, ms));
    handle.remove();
  }

  /** Removes every fault rule and accepts connections again. */
  clear(): void {
    this.rules = [];
    this.refuseConnections = false;
  }

  /**
   * Outage: every new connection is closed as soon as it is accepted and open ones are dropped, so
   * nothing gets through (the port stays bound, so no other process can take it meanwhile).
   */
  goDark(): void {
    this.refuseConnections = true;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Ends an outage started with `goDark()`. */
  comeBack(): void {
    this.refuseConnections = false;
  }

  /** Stops listening altogether (clients get ECONNREFUSED) until `resume()`. */
  async pause(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port after `pause()`. */
  resume(): Promise<void> {
    return this.listen(this.port);
  }

  /** A copy of the counters so far. */
  stats(): ProxyStats {
    return structuredClone(this.counters);
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  async close(): Promise<void> {
    this.clear();
    if (this.server.listening) await this.pause();
    this.agent.destroy();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address !== null && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private pick(action: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.actions && !rule.actions.includes(action)) continue;
      if (this.random() < (rule.rate ?? 1)) return rule;
    }
    return undefined;
  }

  private count(action: string, fault: FaultKind | undefined): void {
    const c = this.counters;
    const entry = (c.byAction[action] ??= { requests: 0, forwarded: 0, faults: zeroFaults() });
    c.requests += 1;
    entry.requests += 1;
    if (fault === undefined) return;
    c.faults += 1;
    c.faultsByKind[fault] += 1;
    entry.faults[fault] += 1;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // the client went away while sending
    }
    const action = actionOf(req.headers, body);
    const rule = this.pick(action);
    this.count(action, rule?.kind);
    switch (rule?.kind) {
      case 'refuse':
        req.socket.destroy();
        return;
      case 'throttle':
        awsError(res, 400, 'ThrottlingException', 'Rate exceeded (injected by FaultProxy)');
        return;
      case 'server-error':
        awsError(res, rule.status ?? 500, 'InternalError', 'We encountered an internal error (injected by FaultProxy)');
        return;
      case 'delay': {
        const gone = await waitOrClose(res, rule.delayMs ?? 600_000);
        if (gone) return;
        break;
      }
      default:
        break;
    }
    this.forward(req, res, body, action, rule?.kind === 'cut');
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, action: string, cut: boolean): void {
    this.counters.forwarded += 1;
    const entry = this.counters.byAction[action];
    if (entry) entry.forwarded += 1;
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers.connection;
    const upstream = httpRequest(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers, agent: this.agent },
      (up) => {
        if (!cut) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        // Read the whole answer (so the server finished its work), then send only part of it and drop the line.
        readBody(up).then(
          (answer) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.write(answer.subarray(0, Math.floor(answer.length / 2)));
            setImmediate(() => req.socket.destroy());
          },
          () => req.socket.destroy(),
        );
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) awsError(res, 502, 'InternalError', 'FaultProxy could not reach the server');
      else req.socket.destroy();
    });
    // A client that gives up (abort, timeout) should not leave a long poll open upstream.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  }
}

/** A seeded generator in [0, 1) (mulberry32), so fault rates give the same run twice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('aborted')));
  });
}

/** Waits `ms`; true when the client closed the connection first. */
function waitOrClose(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    res.once('close', onClose);
  });
}
