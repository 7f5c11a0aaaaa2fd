import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { LiveConnection, type Transport } from './connections.js';
import { parseClientFrame, type ClientFrame, type ServerFrame } from './protocol.js';
import { languageOf, refuseForeignOrigin } from './request-checks.js';
import type { WebChatCore } from './core.js';

/** How often an idle connection is checked (a dead one is closed; the page reconnects by itself). */
const HEARTBEAT_MS = 25_000;

/**
 * The live transports: a WebSocket at /chat/socket, and for networks that block it, Server-Sent
 * Events at /chat/events with messages posted to /chat/send. Both first send the history.
 */
export function mountLiveRoutes(scope: FastifyInstance, core: WebChatCore): void {
  scope.get(
    '/chat/socket',
    { websocket: true, onRequest: (request, reply, done) => gate(request, reply, core, true, done) },
    (socket, request) => {
      const residentId = core.cookie.read(request) ?? '';
      const lang = languageOf(request, core);
      const connection = open(core, residentId, webSocketTransport(socket));
      let alive = true;
      const heartbeat = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, HEARTBEAT_MS);
      socket.on('pong', () => (alive = true));
      socket.on('message', (data: Buffer) => {
        alive = true;
        const frame = parseFrame(data.toString('utf8'));
        if (frame) void answer(core, connection, residentId, request.ip, frame, lang);
      });
      socket.on('close', () => {
        clearInterval(heartbeat);
        connection.remove();
      });
    },
  );

  scope.get(
    '/chat/events',
    { onRequest: (request, reply, done) => gate(request, reply, core, false, done) },
    (request, reply) => {
      const residentId = core.cookie.read(request) ?? '';
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
      });
      const connection = open(core, residentId, sseTransport(raw));
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        connection.remove();
      });
    },
  );

  scope.post('/chat/send', { bodyLimit: 64 * 1024 }, async (request, reply) => {
    if (refuseForeignOrigin(request, reply, core, true)) return reply;
    const residentId = core.cookie.read(request);
    if (!residentId) return reply.code(401).send({ type: 'identity' });
    if (!core.accepting()) return reply.code(503).send({ type: 'unavailable' });
    const frame = parseClientFrame(request.body);
    if (!frame || frame.type !== 'send') return reply.code(400).send({ type: 'invalid' });
    return reply.send(await core.take(residentId, request.ip, frame, languageOf(request, core)));
  });
}

/** Checks origin, identity and readiness before a live connection opens. */
function gate(
  request: FastifyRequest,
  reply: FastifyReply,
  core: WebChatCore,
  originRequired: boolean,
  done: () => void,
): void {
  // An EventSource of our own page sends no Origin; fetch metadata still tells a foreign site's.
  const site = request.headers['sec-fetch-site'];
  if (!originRequired && site !== undefined && site !== 'same-origin') {
    void reply.code(403).send('Forbidden');
    return;
  }
  if (refuseForeignOrigin(request, reply, core, originRequired)) return;
  if (!core.cookie.read(request)) {
    void reply.code(401).send({ type: 'identity' });
    return;
  }
  if (!core.accepting()) {
    void reply.code(503).send({ type: 'unavailable' });
    return;
  }
  done();
}

/** Registers the page, then sends the history followed by whatever arrived meanwhile. */
function open(
  core: WebChatCore,
  residentId: string,
  transport: Transport,
): LiveConnection & { remove(): void } {
  const connection = new LiveConnection(transport);
  const remove = core.registry.add(residentId, connection);
  core
    .history(residentId)
    .then((entries) => connection.open({ type: 'history', entries }))
    .catch(() => transport.close());
  return Object.assign(connection, { remove });
}

async function answer(
  core: WebChatCore,
  connection: LiveConnection,
  residentId: string,
  address: string,
  frame: ClientFrame,
  lang: 'nl' | 'en',
): Promise<void> {
  if (frame.type === 'ping') return connection.reply({ type: 'pong', id: frame.id });
  connection.reply(await core.take(residentId, address, frame, lang));
}

function parseFrame(text: string): ClientFrame | null {
  try {
    return parseClientFrame(JSON.parse(text));
  } catch {
    return null;
  }
}

function webSocketTransport(socket: WebSocket): Transport {
  return {
    send: (frame: ServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    },
    close: () => socket.close(1000),
  };
}

function sseTransport(raw: ServerResponse): Transport {
  return {
    send: (frame: ServerFrame) => {
      if (!raw.writableEnded) raw.write(`data: ${JSON.stringify(frame)}\n\n`);
    },
    close: () => raw.end(),
  };
}
