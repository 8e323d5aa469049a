import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local AI bot WebSocket endpoint speaking the frames of `@wecom/aibot-node-sdk` 1.0.7 (wecom.md §4.2–4.3):
 * every frame is {cmd, headers:{req_id}, body}; the client's first frame is aibot_subscribe {bot_id, secret};
 * acks are {headers:{req_id}, errcode, errmsg}. Callbacks are pushed by the test. A second authenticated connection
 * for the bot makes the fake send `disconnected_event` to the older one and close it, as WeCom does.
 * Replies are checked against WeCom's rules: aibot_respond_* must reuse the req_id of a callback pushed on that
 * connection (else errcode 846605), and a card update or welcome must come within 5 s of its event.
 */

export interface AibotFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

export interface ReceivedFrame {
  connection: number;
  at: number;
  frame: AibotFrame;
  /** What the fake answered (absent while acks are withheld). */
  ack?: { errcode: number; errmsg: string };
}

export interface WecomAibotFakeOptions {
  botId?: string;
  secret?: string;
}

export interface WecomAibotFake {
  wsUrl: string;
  botId: string;
  secret: string;
  /** Frames the clients sent, in order (pings included). */
  received: ReceivedFrame[];
  /** Connection ids in the order they authenticated. */
  authenticated: number[];
  /** Ids of connections currently open and authenticated. */
  liveConnections(): number[];
  /** Pushes an aibot_msg_callback to the live connection; returns the callback's req_id. */
  pushMessage(body: Record<string, unknown>): string;
  /** Pushes an aibot_event_callback to the live connection; returns the callback's req_id. */
  pushEvent(body: Record<string, unknown>): string;
  /** While true, the fake records frames but does not ack them (the SDK times out after 5 s). */
  withholdAcks: boolean;
  /** The next frame with this cmd is acked with the errcode. */
  failNext(cmd: string, errcode: number, errmsg?: string): void;
  /** Resolves with the first received frame (past or future) that matches. */
  waitForFrame(match: (frame: ReceivedFrame) => boolean, timeoutMs?: number): Promise<ReceivedFrame>;
  /** Resolves once the condition holds, polling the fake's state. */
  waitUntil(condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const REPLY_CMDS = new Set(['aibot_respond_msg', 'aibot_respond_welcome_msg', 'aibot_respond_update_msg']);
const FIVE_SECOND_CMDS = new Set(['aibot_respond_welcome_msg', 'aibot_respond_update_msg']);

export async function startWecomAibotFake(options: WecomAibotFakeOptions = {}): Promise<WecomAibotFake> {
  const botId = options.botId ?? 'aib_fake_bot';
  const secret = options.secret ?? 'fake-bot-secret';
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;

  const sockets = new Map<number, { ws: WebSocket; authenticated: boolean }>();
  /** req_id of each pushed callback → connection and push time. */
  const callbacks = new Map<string, { connection: number; at: number }>();
  const failures = new Map<string, { errcode: number; errmsg: string }>();
  let nextConnection = 0;

  const send = (ws: WebSocket, frame: object) => ws.send(JSON.stringify(frame));

  const ackFor = (connection: number, frame: AibotFrame): { errcode: number; errmsg: string } => {
    const cmd = frame.cmd ?? '';
    const failure = failures.get(cmd);
    if (failure) {
      failures.delete(cmd);
      return failure;
    }
    if (REPLY_CMDS.has(cmd)) {
      const callback = callbacks.get(frame.headers.req_id);
      if (!callback || callback.connection !== connection) return { errcode: 846605, errmsg: 'invalid req_id' };
      if (FIVE_SECOND_CMDS.has(cmd) && Date.now() - callback.at > 5_000) {
        return { errcode: 846608, errmsg: 'reply window expired' };
      }
    }
    if (cmd === 'aibot_send_msg' && !frame.body?.chatid) return { errcode: 40058, errmsg: 'chatid required' };
    return { errcode: 0, errmsg: 'ok' };
  };

  const fake: WecomAibotFake = {
    wsUrl: `ws://127.0.0.1:${port}`,
    botId,
    secret,
    received: [],
    authenticated: [],
    withholdAcks: false,
    liveConnections: () => [...sockets].filter(([, s]) => s.authenticated).map(([id]) => id),
    pushMessage: (body) => push('aibot_msg_callback', body),
    pushEvent: (body) => push('aibot_event_callback', body),
    failNext: (cmd, errcode, errmsg = 'fake failure') => {
      failures.set(cmd, { errcode, errmsg });
    },
    async waitForFrame(match, timeoutMs = 5_000) {
      let found: ReceivedFrame | undefined;
      await fake.waitUntil(() => {
        found = fake.received.find(match);
        return found !== undefined;
      }, timeoutMs);
      return found as ReceivedFrame;
    },
    waitUntil: (condition, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          if (condition()) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error('aibot fake: condition not met in time'));
          setTimeout(poll, 10);
        };
        poll();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const { ws } of sockets.values()) ws.terminate();
        server.close(() => resolve());
      }),
  };

  function push(cmd: string, body: Record<string, unknown>): string {
    const live = fake.liveConnections();
    const connection = live[live.length - 1];
    const socket = connection === undefined ? undefined : sockets.get(connection);
    if (connection === undefined || !socket) throw new Error('aibot fake: no authenticated connection to push to');
    const reqId = `${cmd}_${randomBytes(6).toString('hex')}`;
    callbacks.set(reqId, { connection, at: Date.now() });
    send(socket.ws, { cmd, headers: { req_id: reqId }, body });
    return reqId;
  }

  server.on('connection', (ws) => {
    const connection = ++nextConnection;
    const state = { ws, authenticated: false };
    sockets.set(connection, state);
    ws.on('close', () => sockets.delete(connection));
    ws.on('message', (data) => {
      let frame: AibotFrame;
      try {
        frame = JSON.parse(data.toString()) as AibotFrame;
      } catch {
        return ws.close(1003, 'not JSON');
      }
      const entry: ReceivedFrame = { connection, at: Date.now(), frame };
      fake.received.push(entry);
      const reqId = frame.headers?.req_id ?? '';

      if (frame.cmd === 'aibot_subscribe') {
        const good = frame.body?.bot_id === botId && frame.body?.secret === secret;
        entry.ack = good ? { errcode: 0, errmsg: 'ok' } : { errcode: 40001, errmsg: 'invalid bot_id or secret' };
        send(ws, { headers: { req_id: reqId }, ...entry.ack });
        if (!good) return;
        for (const [other, otherState] of sockets) {
          if (other === connection || !otherState.authenticated) continue;
          otherState.authenticated = false;
          send(otherState.ws, {
            cmd: 'aibot_event_callback',
            headers: { req_id: `aibot_event_callback_${randomBytes(6).toString('hex')}` },
            body: {
              msgid: randomBytes(8).toString('hex'),
              create_time: Math.floor(Date.now() / 1000),
              aibotid: botId,
              from: { userid: '' },
              msgtype: 'event',
              event: { eventtype: 'disconnected_event' },
            },
          });
          otherState.ws.close(1000, 'new connection established');
        }
        state.authenticated = true;
        fake.authenticated.push(connection);
        return;
      }
      if (!state.authenticated) {
        entry.ack = { errcode: 40001, errmsg: 'not subscribed' };
        return send(ws, { headers: { req_id: reqId }, ...entry.ack });
      }
      if (fake.withholdAcks && frame.cmd !== 'ping') return;
      entry.ack = frame.cmd === 'ping' ? { errcode: 0, errmsg: 'ok' } : ackFor(connection, frame);
      send(ws, { headers: { req_id: reqId }, ...entry.ack });
    });
  });

  return fake;
}
