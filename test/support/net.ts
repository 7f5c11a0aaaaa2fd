import { readFileSync } from 'node:fs';
import net from 'node:net';

/** True when something accepts TCP connections at the URL's host and port (within a second). */
export function isReachable(url: string, defaultPort?: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * A port for a server a test stops and starts again on the same port (a Redis or PostgreSQL of its
 * own). It is free now, and it lies below the range the system hands out as the local end of
 * outgoing connections (`ip_local_port_range`): a port in that range (one the system picked for a
 * listener, or a random one) can be taken by any client's connection while the server is down, and the server then cannot listen
 * there again ("Address already in use").
 */
export async function serverPort(): Promise<number> {
  const lowest = 10_000;
  const highest = ephemeralRangeStart() - 1;
  for (let tries = 0; tries < 100; tries++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest}`);
}

function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(start);
    if (Number.isInteger(value) && value > 11_000) return value;
  } catch {
    // Not Linux: the range most systems use (IANA's dynamic ports start at 49152).
  }
  return 32_768;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
