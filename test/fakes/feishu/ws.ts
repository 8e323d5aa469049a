import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hono } from 'hono';
import { type WebSocket, WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, type Frame, headerValue } from './pbbp2.js';

/**
 * The long-connection side of the fake (feishu.md §4.6): `POST /callback/ws/endpoint` hands out a ws:// URL
 * on this server; events go out as protobuf data frames (fragmented with sum/seq when asked) to one
 * connected client, whose ACK frame carries `{code, data: base64(JSON(handler result))}`.
 */

export interface WsAck {
  code: number;
  data?: unknown;
}

export interface FeishuWsFake {
  endpointCalls: { AppID?: unknown; AppSecret?: unknown }[];
  connections(): number;
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** Delivers an event or card callback and resolves with the client's ACK. */
  push(payload: object, options?: { fragments?: number; timeoutMs?: number }): Promise<WsAck>;
  close(): Promise<void>;
}

const SERVICE_ID = 1;
const CLIENT_CONFIG = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 };

export function createWsFake(credentials: { appId: string; appSecret: string }) {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const pending = new Map<string, (ack: WsAck) => void>();
  const connectionWaiters: (() => void)[] = [];
  const endpointCalls: FeishuWsFake['endpointCalls'] = [];
  let baseWsUrl = '';
  let seq = 1;

  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data: Buffer) => onFrame(socket, decodeFrame(new Uint8Array(data))));
    for (const resolve of connectionWaiters.splice(0)) resolve();
  });

  function onFrame(socket: WebSocket, frame: Frame) {
    if (frame.method === FRAME_CONTROL && headerValue(frame, 'type') === 'ping') {
      const pong: Frame = {
        SeqID: 0,
        LogID: 0,
        service: SERVICE_ID,
        method: FRAME_CONTROL,
        headers: [{ key: 'type', value: 'pong' }],
        payload: new TextEncoder().encode(JSON.stringify(CLIENT_CONFIG)),
      };
      socket.send(encodeFrame(pong));
      return;
    }
    if (frame.method !== FRAME_DATA) return;
    const messageId = headerValue(frame, 'message_id');
    const resolve = messageId ? pending.get(messageId) : undefined;
    if (!messageId || !resolve) return;
    pending.delete(messageId);
    const body = JSON.parse(new TextDecoder().decode(frame.payload)) as { code: number; data?: string };
    resolve({
      code: body.code,
      ...(body.data ? { data: JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) } : {}),
    });
  }

  const fake: FeishuWsFake = {
    endpointCalls,
    connections: () => sockets.size,
    waitForConnection(timeoutMs = 5000) {
      if (sockets.size > 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no WSClient connected')), timeoutMs);
        connectionWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    push(payload, options = {}) {
      // Feishu delivers each event to one connected client.
      const socket = [...sockets][0];
      if (!socket) return Promise.reject(new Error('no WSClient connected'));
      const messageId = randomBytes(8).toString('hex');
      const bytes = new TextEncoder().encode(JSON.stringify(payload));
      const parts = Math.max(1, options.fragments ?? 1);
      const size = Math.ceil(bytes.length / parts);
      const ack = new Promise<WsAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(messageId);
          reject(new Error('no ACK from WSClient'));
        }, options.timeoutMs ?? 5000);
        pending.set(messageId, (value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
      for (let index = 0; index < parts; index++) {
        const frame: Frame = {
          SeqID: seq++,
          LogID: seq,
          service: SERVICE_ID,
          method: FRAME_DATA,
          headers: [
            { key: 'type', value: 'event' },
            { key: 'message_id', value: messageId },
            { key: 'sum', value: String(parts) },
            { key: 'seq', value: String(index) },
            { key: 'trace_id', value: randomBytes(8).toString('hex') },
          ],
          payload: bytes.subarray(index * size, (index + 1) * size),
        };
        socket.send(encodeFrame(frame));
      }
      return ack;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };

  return {
    fake,
    routes(app: Hono) {
      app.post('/callback/ws/endpoint', async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as { AppID?: unknown; AppSecret?: unknown };
        endpointCalls.push(body);
        if (body.AppID !== credentials.appId || body.AppSecret !== credentials.appSecret) {
          return c.json({ code: 514, msg: 'auth failed', data: {} });
        }
        return c.json({
          code: 0,
          msg: 'ok',
          data: { URL: `${baseWsUrl}/ws?device_id=fake-device&service_id=${SERVICE_ID}`, ClientConfig: CLIENT_CONFIG },
        });
      });
    },
    attach(
      server: { on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown },
      port: number,
    ) {
      baseWsUrl = `ws://127.0.0.1:${port}`;
      server.on('upgrade', (req, socket, head) => {
        const url = new URL(req.url ?? '/', baseWsUrl);
        if (url.pathname !== '/ws' || !url.searchParams.get('device_id')) {
          socket.destroy();
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      });
    },
  };
}
