import type { EventEmitter } from 'node:events';
import type { payloads } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { InboundEvent } from '../../../src/model/inbound.js';
import type { HandleResult, InboundPipeline, Log } from '../../../src/platforms/types.js';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;
type MessageMock = ReturnType<mock.Mocker['MessageMock']['load']>;
type FileBoxJson = Parameters<mock.Mocker['cacheFileBoxPayload']['set']>[1];

/**
 * The Wechaty "fake": wechaty-puppet-mock driven by its Mocker (checked against 1.19.4). The puppet goes to
 * the transport under test; the Mocker plays the other people. Rules of the mock (wecom.md §5.3–5.4):
 * log in only after the bot started; mentions must be passed explicitly; room ids must contain "@";
 * the bot's own mentions are dropped from what it says (assert on the text).
 */
export interface WechatyMockAccount {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  /** The account the bot runs as. */
  me: ContactMock;
  contact(name: string, id?: string): ContactMock;
  room(topic: string, members: ContactMock[], id?: string): RoomMock;
  /** Logs `me` in; call after the transport started. */
  login(): void;
  /** A person says text in a room (mentioning `mentions`); returns the message id. */
  sayInRoom(from: ContactMock, room: RoomMock, text: string, mentions?: ContactMock[]): string;
  /** A person writes to the bot directly; returns the message id. */
  sayToBot(from: ContactMock, text: string): string;
  /** Delivers a hand-made puppet payload (fixtures), optionally with the file behind it. */
  inject(payload: payloads.Message, file?: FileBoxJson): void;
  /** Everything the bot says in a room, as the other members see it. */
  botSaysIn(room: RoomMock): string[];
  /** Everything the bot says to a contact directly. */
  botSaysTo(contact: ContactMock): string[];
}

/** Mock rooms and contacts are EventEmitters, but their 'typed-emitter' typings lose the methods under NodeNext. */
const emitterOf = (mockObject: ContactMock | RoomMock) => mockObject as unknown as EventEmitter;

export function createWechatyMockAccount(botName = '校安'): WechatyMockAccount {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const me = mocker.createContact({ name: botName });
  const lastMessageId = () => [...mocker.cacheMessagePayload.keys()].at(-1)!;

  const record = (
    subscribe: (listener: (message: MessageMock) => void) => void,
    keep: (talkerId: string, listenerId?: string) => boolean,
  ) => {
    const said: string[] = [];
    subscribe((message) => {
      if (keep(message.talker().id, message.listener()?.id)) said.push(message.text() ?? '');
    });
    return said;
  };

  return {
    mocker,
    puppet,
    me,
    contact: (name, id) => mocker.createContact({ name, ...(id ? { id } : {}) }),
    room: (topic, members, id) =>
      mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)], ...(id ? { id } : {}) }),
    login: () => mocker.login(me),
    sayInRoom(from, room, text, mentions = []) {
      from.say(text, mentions).to(room);
      return lastMessageId();
    },
    sayToBot(from, text) {
      from.say(text).to(me);
      return lastMessageId();
    },
    inject(payload, file) {
      if (file) mocker.cacheFileBoxPayload.set(payload.id, file);
      mocker.MessageMock.create(payload);
      puppet.emit('message', { messageId: payload.id });
    },
    botSaysIn: (room) =>
      record(
        (listener) => emitterOf(room).on('message', listener),
        (talkerId) => talkerId === me.id,
      ),
    botSaysTo: (contact) =>
      record(
        (listener) => emitterOf(contact).on('message', listener),
        (talkerId, listenerId) => talkerId === me.id && listenerId === contact.id,
      ),
  };
}

/** The pipeline double of the platform brief: records events, answers a canned result. */
export function createRecordingPipeline(result: HandleResult = { duplicate: false }) {
  const events: InboundEvent[] = [];
  const pipeline: InboundPipeline & { events: InboundEvent[] } = {
    events,
    async handle(event) {
      events.push(event);
      return result;
    },
  };
  return pipeline;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export function createRecordingLog(): Log & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: object | string, msg?: string): void => {
      entries.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Waits for something the bot does asynchronously; fails with `what` if it never happens. */
export async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
