// A TCP proxy of the tests' own, in front of a real server on 127.0.0.1, that fails on
// command the way networks do:
//   pass       forward both ways (the start state)
//   blackhole  keep every connection open but forward nothing, and accept new ones
//              that go nowhere (a hung machine or a dropped route)
//   cut        reset every open connection now, keep accepting (a flaky link)
//   refuse     reset open connections and stop listening: connects get ECONNREFUSED
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

export class TcpProxy {
  private server?: Server;
  private conns = new Set<{ client: Socket; upstream?: Socket }>();
  private mode: ProxyMode = 'pass';
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(port, '127.0.0.1', () => res());
    });
    this.server = server;
    const addr = server.address();
    if (typeof addr === 'object' && addr) this.port = addr.port;
    return this;
  }

  private accept(client: Socket): void {
    const c: { client: Socket; upstream?: Socket } = { client };
    this.conns.add(c);
    const drop = () => {
      client.destroy();
      c.upstream?.destroy();
      this.conns.delete(c);
    };
    client.on('error', drop);
    client.on('close', drop);
    if (this.mode === 'blackhole') {
      client.on('data', () => undefined); // swallowed
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    c.upstream = upstream;
    upstream.on('error', drop);
    upstream.on('close', drop);
    client.on('data', (d) => {
      if (this.mode === 'pass') upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (this.mode === 'pass') client.write(d);
    });
  }

  /** Forward nothing from now on, on open and new connections alike. */
  blackhole(): void {
    this.mode = 'blackhole';
  }

  /** Reset every open connection; new ones are forwarded. */
  cut(): void {
    for (const c of [...this.conns]) {
      c.client.resetAndDestroy();
      c.upstream?.destroy();
    }
    this.conns.clear();
  }

  /** Reset open connections and close the port. */
  async refuse(): Promise<void> {
    this.mode = 'refuse';
    const s = this.server;
    this.server = undefined;
    this.cut();
    if (s) await new Promise<void>((res) => s.close(() => res()));
  }

  /** Back to forwarding; listens again on the same port after refuse(). */
  async pass(): Promise<void> {
    const wasRefusing = this.mode === 'refuse';
    this.mode = 'pass';
    if (wasRefusing) await this.start(this.port);
  }

  async close(): Promise<void> {
    await this.refuse();
  }
}
