import {
  type Contact,
  type ContactSelf,
  type Message,
  type OfficialPuppetNpmName,
  qrcodeValueToImageUrl,
  type Room,
  ScanStatus,
  types,
  type Wechaty,
  WechatyBuilder,
  type WechatyOptions,
} from 'wechaty';
import type { InboundPipeline, LongConnection, Log, PlatformDeps } from '../types.js';
import type { WechatyConfig } from './config.js';
import { parseWechatyMessage, type WechatyMessageSnapshot } from './parse.js';
import { createRecentImages } from './recent-images.js';
import {
  type WechatyBotHandle,
  type WechatyBotRegistry,
  type WechatyConversation,
  type WechatySayResult,
  wechatyBots,
} from './registry.js';

type PuppetOption<O> = O extends { puppet?: infer P } ? P : never;
/** A puppet instance (tests pass a PuppetMock with its Mocker). */
export type WechatyPuppet = Exclude<PuppetOption<WechatyOptions>, string | undefined>;

export interface WechatyTransportDeps extends PlatformDeps {
  /** Where the logged-in account is registered for the sender; defaults to the process-wide registry. */
  registry?: WechatyBotRegistry;
  /** Use this puppet instead of importing the module named by WECHATY_PUPPET. */
  puppet?: WechatyPuppet;
}

interface Session {
  tenant: string;
  loginAt: Date;
  unregister: () => void;
}

/**
 * Runs one WeChat/WeCom account through Wechaty: room messages that @-mention the account, receipt keyword
 * replies and direct messages become InboundEvents for the pipeline; while logged in, the account is
 * registered for the outbox sender. Replies never go out from here: flows write the outbox.
 */
export function createWechatyTransport(config: WechatyConfig, deps: WechatyTransportDeps): LongConnection {
  const registry = deps.registry ?? wechatyBots;
  const now = deps.now ?? (() => new Date());
  const { log } = deps;
  const images = createRecentImages();
  let bot: Wechaty | undefined;
  let session: Session | undefined;

  const endSession = () => {
    session?.unregister();
    session = undefined;
  };

  const onMessage = async (wechaty: Wechaty, pipeline: InboundPipeline, message: Message) => {
    const current = session;
    if (!current) return;
    const snapshot = await snapshotOf(wechaty, config, message);
    const result = parseWechatyMessage(snapshot, {
      tenant: current.tenant,
      botNames: snapshot.botNames,
      loginAt: current.loginAt,
      receivedAt: now(),
    });
    if (result.kind === 'ignored') {
      log.debug({ messageId: snapshot.id, chatId: snapshot.roomId, reason: result.reason }, 'wechaty message ignored');
      return;
    }
    if (result.kind === 'room_image') {
      images.remember(snapshot.roomId!, snapshot.talkerId, result.attachment, snapshot.sentAt);
      return;
    }
    const { event } = result;
    if (event.kind === 'message' && event.chat.type === 'group') {
      event.attachments = [...images.take(event.chat.id, event.actor.platformUserId, now()), ...event.attachments];
    }
    // The chat id is logged so an operator can bind a room ("xiaoan chat bind") after one @-mention in it.
    log.info(
      { messageId: event.id, kind: event.kind, chatId: event.chat.id, chatType: event.chat.type },
      'wechaty event',
    );
    await pipeline.handle(event);
  };

  return {
    name: 'wechaty',
    async start(pipeline) {
      if (bot) throw new Error('the Wechaty transport is already started');
      const wechaty = WechatyBuilder.build(wechatyOptions(config, deps.puppet));
      bot = wechaty;

      wechaty.on('scan', (qrcode: string, status: ScanStatus) => {
        if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
          log.info(
            { qrcode, qrcodeImageUrl: qrcodeValueToImageUrl(qrcode) },
            'wechaty: scan this QR code with the account phone to log in',
          );
        } else {
          log.info({ status: ScanStatus[status] }, 'wechaty: login scan status');
        }
      });
      wechaty.on('login', (user: ContactSelf) => {
        endSession();
        const tenant = user.id;
        session = { tenant, loginAt: now(), unregister: registry.register(botHandle(wechaty, tenant, log)) };
        log.info({ tenant, name: user.name() }, 'wechaty: account logged in');
      });
      wechaty.on('logout', (user: ContactSelf, reason?: string) => {
        endSession();
        log.warn({ tenant: user.id, reason }, 'wechaty: account logged out; scan the QR code again to resume');
      });
      wechaty.on('error', (error: Error) => log.warn({ err: error.message }, 'wechaty error'));
      wechaty.on('message', (message: Message) => {
        onMessage(wechaty, pipeline, message).catch((error: unknown) =>
          log.error({ messageId: message.id, err: errorText(error) }, 'wechaty: inbound message failed'),
        );
      });

      try {
        await wechaty.start();
      } catch (error) {
        bot = undefined;
        throw error;
      }
    },
    async stop() {
      endSession();
      const wechaty = bot;
      bot = undefined;
      await wechaty?.stop();
    },
  };
}

function wechatyOptions(config: WechatyConfig, puppet: WechatyPuppet | undefined): WechatyOptions {
  if (puppet) return { puppet };
  return {
    // Any npm puppet module works: Wechaty imports it by name; the union type only lists the official ones.
    puppet: config.puppet as OfficialPuppetNpmName,
    ...(config.puppetToken ? { puppetOptions: { token: config.puppetToken } } : {}),
  };
}

type Snapshot = WechatyMessageSnapshot & { botNames: string[] };

/** Reads what parse needs; images skip the awaits so they are remembered before a following mention. */
async function snapshotOf(wechaty: Wechaty, config: WechatyConfig, message: Message): Promise<Snapshot> {
  const room = message.room();
  const talker = message.talker();
  const type = message.type();
  const kind = type === types.Message.Text ? 'text' : type === types.Message.Image ? 'image' : 'other';
  const base: Snapshot = {
    id: message.id,
    type: kind,
    ...(room ? { roomId: room.id } : {}),
    talkerId: talker.id,
    talkerName: talker.name(),
    self: message.self(),
    text: kind === 'text' ? message.text() : '',
    mentionsBot: false,
    sentAt: message.date(),
    raw: {
      id: message.id,
      type,
      roomId: room?.id ?? null,
      talkerId: talker.id,
      text: message.text(),
      sentAt: message.date().toISOString(),
    },
    botNames: [config.name],
  };
  if (kind !== 'text' || base.self) return base;

  const me = wechaty.currentUser;
  const [talkerAlias, botAlias, mentionsBot] = room
    ? await Promise.all([aliasIn(room, talker), aliasIn(room, me), message.mentionSelf()])
    : [undefined, undefined, false];
  return {
    ...base,
    talkerName: talkerAlias || base.talkerName,
    mentionsBot,
    botNames: [config.name, me.name(), ...(botAlias ? [botAlias] : [])],
  };
}

async function aliasIn(room: Room, contact: Contact): Promise<string | undefined> {
  try {
    return (await room.alias(contact)) ?? undefined;
  } catch {
    return undefined;
  }
}

function botHandle(wechaty: Wechaty, tenant: string, log: Log): WechatyBotHandle {
  const exists = async (load: () => Promise<unknown>) => {
    try {
      await load();
      return true;
    } catch {
      return false;
    }
  };

  const sayInRoom = async (roomId: string, text: string, mentionUserIds: string[]): Promise<WechatySayResult> => {
    const room = await wechaty.Room.find({ id: roomId });
    if (!room) return { ok: false, reason: 'unknown_conversation', error: `room ${roomId} not found` };
    const found = await Promise.all(mentionUserIds.map((id) => wechaty.Contact.find({ id })));
    const mentions = found.filter((contact): contact is Contact => contact !== undefined);
    if (mentions.length < mentionUserIds.length) log.warn({ roomId }, 'wechaty: some mentioned contacts not found');
    return sent(await room.say(text, ...mentions));
  };

  const sayToContact = async (contactId: string, text: string): Promise<WechatySayResult> => {
    const contact = await wechaty.Contact.find({ id: contactId });
    if (!contact) return { ok: false, reason: 'unknown_conversation', error: `contact ${contactId} not found` };
    return sent(await contact.say(text));
  };

  return {
    tenant,
    async resolve(conversationId) {
      if (await exists(() => wechaty.puppet.roomPayload(conversationId))) return 'room';
      if (await exists(() => wechaty.puppet.contactPayload(conversationId))) return 'contact';
      return undefined;
    },
    async say(conversation: WechatyConversation, text, mentionUserIds) {
      try {
        return conversation.kind === 'room'
          ? await sayInRoom(conversation.id, text, mentionUserIds)
          : await sayToContact(conversation.id, text);
      } catch (error) {
        return { ok: false, reason: 'failed', error: errorText(error) };
      }
    },
    async authorOf(messageId) {
      try {
        return (await wechaty.Message.find({ id: messageId }))?.talker().id;
      } catch {
        return undefined;
      }
    },
    async download(messageId) {
      const message = await wechaty.Message.find({ id: messageId });
      if (!message || message.type() === types.Message.Text) return undefined;
      const box = await message.toFileBox();
      return { name: box.name, mediaType: box.mediaType, data: new Uint8Array(await box.toBuffer()) };
    },
  };
}

function sent(message: Awaited<ReturnType<Room['say']>>): WechatySayResult {
  return message ? { ok: true, messageId: message.id } : { ok: true };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
