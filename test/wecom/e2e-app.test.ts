import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { letters } from '../../bot-flows/letters/index.js';
import { bindChat } from '../../src/db/repos/org.js';
import { addAccountToPerson } from '../../src/db/repos/receipts-guardians.js';
import { inboundEvents, outbox, receipts, students } from '../../src/db/schema.js';
import { startCampaign } from '../../src/flows/receipts/start.js';
import { platformsFromEnv } from '../../src/platforms/registry.js';
import type { TemplateCard } from '../../src/platforms/wecom/render.js';
import { startWecomApiFake } from '../fakes/wecom/api-server.js';
import {
  type CallbackSecrets,
  encryptBlocks,
  encryptedCallback,
  plaintextOf,
  signedEnvelope,
  toQueryString,
  urlVerificationQuery,
  wecomEncrypt,
} from '../fakes/wecom/callback-crypto.js';
import { createTestDb } from '../helpers/db.js';
import { testClock } from '../helpers/runtime.js';
import { demoPerson, demoSchool, eventually, unixSeconds } from './e2e-helpers.js';
import { serveRuntime } from './serve.js';

const MINUTE = 60_000;

describe('WeCom self-built app end to end: signed, encrypted callbacks to /webhooks/wecom over HTTP', async () => {
  const database = await createTestDb();
  const { db } = database;
  // Wednesday 2026-06-10 10:00 in Shanghai.
  const clock = testClock('2026-06-10T02:00:00Z');
  const api = await startWecomApiFake({ corpId: 'wwXiaoanE2e', agentId: 1000017, secret: 'app-secret-e2e' });
  const secrets: CallbackSecrets = {
    token: 'CallbackTokenE2e',
    encodingAesKey: randomBytes(32).toString('base64').slice(0, 43),
    receiveId: api.corpId,
  };
  const env = {
    WECOM_API_BASE_URL: api.baseUrl,
    WECOM_CORP_ID: api.corpId,
    WECOM_AGENT_ID: String(api.agentId),
    WECOM_SECRET: api.secret,
    WECOM_TOKEN: secrets.token,
    WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
  };
  const tenant = `app:${api.corpId}:${api.agentId}`;
  const served = await serveRuntime({ database, now: clock.now, platforms: (deps) => platformsFromEnv(env, deps) });
  const { runtime } = served;
  afterAll(async () => {
    await served.close();
    await api.close();
    await database.close();
  });

  const { schoolId, classId } = await demoSchool(db);
  const class31 = await classId('三年级(1)班');
  // The app reaches members only in its 1:1 conversation: 刘妈妈 (a member here) gets her class's cards there.
  await bindChat(db, {
    platform: 'wecom',
    tenant,
    chatId: 'liumama',
    schoolId,
    classId: class31,
    kind: 'class_parents',
  });
  const liuMama = await demoPerson(db, 'liu-mama');
  await addAccountToPerson(db, { personId: liuMama, platform: 'wecom', tenant, userId: 'liumama', name: '刘妈妈' });

  const timestamp = () => String(unixSeconds(clock.now()));
  const post = (query: Record<string, string>, body: string) =>
    fetch(`${served.baseUrl}/webhooks/wecom?${toQueryString(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
    });
  const deliver = (xml: string) => {
    const callback = encryptedCallback(secrets, xml, { timestamp: timestamp(), agentId: String(api.agentId) });
    return post(callback.query, callback.body);
  };
  const textXml = (from: string, content: string, msgId: string) =>
    `<xml><ToUserName><![CDATA[${api.corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${msgId}</MsgId><AgentID>${api.agentId}</AgentID></xml>`;
  const eventCount = async () =>
    (await db.select().from(inboundEvents).where(eq(inboundEvents.platform, 'wecom'))).length;

  it('answers the URL verification with the decrypted echostr, exactly', async () => {
    const query = urlVerificationQuery(secrets, '7465207436294551823', { timestamp: timestamp() });
    const response = await fetch(`${served.baseUrl}/webhooks/wecom?${toQueryString(query)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('7465207436294551823');
  });

  it('confirms a receipt from a click on the template_card the app sent, greying the button', async () => {
    const started = await db.transaction(async (tx) =>
      startCampaign(tx, {
        schoolId,
        timezone: 'Asia/Shanghai',
        letter: letters.find((letter) => letter.code === 'drowning')!,
        deadline: new Date('2026-06-30T15:59:59Z'),
        classNames: ['三年级(1)班'],
        createdBy: null,
        now: clock.now(),
        links: runtime.links,
      }),
    );
    expect(started.ok).toBe(true);
    await runtime.dispatcher.drain();

    const sent = api.calls.find((call) => call.api === 'message/send' && call.target === 'liumama');
    expect(sent?.response).toMatchObject({ errcode: 0, response_code: expect.any(String) });
    expect(sent?.body).toMatchObject({ touser: 'liumama', agentid: api.agentId, msgtype: 'template_card' });
    const card = sent!.body.template_card as TemplateCard;
    expect(card).toMatchObject({ card_type: 'button_interaction', main_title: { title: '防溺水安全致家长的一封信' } });
    const button = card.button_list?.find((candidate) => candidate.text === '我已阅读并承诺');
    expect(button).toBeDefined();

    clock.advance(MINUTE);
    const responseCode = api.issueResponseCode();
    const clickXml =
      `<xml><ToUserName><![CDATA[${api.corpId}]]></ToUserName><FromUserName><![CDATA[liumama]]></FromUserName>` +
      `<CreateTime>${timestamp()}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      `<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${button!.key}]]></EventKey>` +
      `<TaskId><![CDATA[${card.task_id}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>` +
      `<ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>${api.agentId}</AgentID></xml>`;
    const response = await deliver(clickXml);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    await eventually('the card update', () => api.updates.find((update) => update.response_code === responseCode));
    expect(api.updates.find((update) => update.response_code === responseCode)).toEqual({
      userids: ['liumama'],
      agentid: api.agentId,
      response_code: responseCode,
      button: { replace_name: '已确认' },
    });
    const confirmed = await db
      .select({ student: students.name, personId: receipts.personId, channel: receipts.channel })
      .from(receipts)
      .innerJoin(students, eq(students.id, receipts.studentId));
    expect(confirmed).toEqual([{ student: '刘小雨', personId: liuMama, channel: 'card' }]);

    // WeCom repeats a callback it got no timely 200 for: the same click is answered but not applied twice.
    const events = await eventCount();
    expect((await deliver(clickXml)).status).toBe(200);
    expect(await eventCount()).toBe(events);
    expect(api.calls.filter((call) => call.api === 'update_template_card')).toHaveLength(1);
  });

  it('handles a text message WeCom delivers twice (same MsgId) once, answering with message/send', async () => {
    clock.advance(MINUTE);
    const sendsBefore = api.calls.filter((call) => call.api === 'message/send').length;
    const xml = textXml('liumama', '帮助', '7300000000000000042');
    expect((await deliver(xml)).status).toBe(200);
    expect((await deliver(xml)).status).toBe(200);
    await runtime.dispatcher.drain();
    const replies = await db
      .select()
      .from(outbox)
      .where(sql`${outbox.idempotencyKey} like ${'reply:wecom:7300000000000000042:%'}`);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((row) => row.status === 'sent')).toBe(true);
    const sends = api.calls.filter((call) => call.api === 'message/send').slice(sendsBefore);
    expect(sends).toHaveLength(replies.length);
    expect(sends.every((call) => call.target === 'liumama' && call.response.errcode === 0)).toBe(true);
    expect(JSON.stringify(sends.map((call) => call.body))).toContain('校安 · 我能做什么');
    const received = await db.select().from(inboundEvents).where(eq(inboundEvents.eventId, '7300000000000000042'));
    expect(received).toHaveLength(1);
  });

  describe('refuses what WeCom did not send', () => {
    const refusedWithoutEffect = async (response: Response, status: number) => {
      const before = await eventCount();
      expect(response.status).toBe(status);
      expect(await eventCount()).toBe(before);
    };

    it('a forged msg_signature', async () => {
      const callback = encryptedCallback(secrets, textXml('liumama', '帮助', '7300000000000000101'), {
        timestamp: timestamp(),
      });
      const forged = {
        ...callback.query,
        msg_signature: callback.query.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      };
      await refusedWithoutEffect(await post(forged, callback.body), 401);
      const wrongToken = encryptedCallback(
        { ...secrets, token: 'SomebodyElsesToken' },
        textXml('liumama', '帮助', '7300000000000000102'),
        {
          timestamp: timestamp(),
        },
      );
      await refusedWithoutEffect(await post(wrongToken.query, wrongToken.body), 401);
    });

    it('a signature older than the accepted window (a replay)', async () => {
      const stale = String(unixSeconds(clock.now()) - 3600);
      const callback = encryptedCallback(secrets, textXml('liumama', '帮助', '7300000000000000103'), {
        timestamp: stale,
      });
      await refusedWithoutEffect(await post(callback.query, callback.body), 401);
    });

    it('bad AES payloads, correctly signed: broken padding, foreign receive id, not Base64, wrong key', async () => {
      const xml = textXml('liumama', '帮助', '7300000000000000104');
      const unpadded = plaintextOf(xml, api.corpId);
      const badPadding = encryptBlocks(
        secrets.encodingAesKey,
        Buffer.concat([unpadded, Buffer.alloc(32 - (unpadded.length % 32), 0)]),
      );
      const otherCorp = wecomEncrypt(secrets.encodingAesKey, xml, 'wwSomeOtherCorp');
      const otherKey = wecomEncrypt(randomBytes(32).toString('base64').slice(0, 43), xml, api.corpId);
      for (const encrypt of [badPadding, otherCorp, otherKey, 'not*base64*at*all']) {
        const signed = signedEnvelope(secrets, encrypt, { timestamp: timestamp(), toUserName: api.corpId });
        await refusedWithoutEffect(await post(signed.query, signed.body), 401);
      }
    });

    it('XML with entity declarations, in the envelope or inside the encrypted payload', async () => {
      const doctype = '<!DOCTYPE xml [<!ENTITY boom "boom">]>';
      const signed = signedEnvelope(
        secrets,
        wecomEncrypt(secrets.encodingAesKey, textXml('liumama', '帮助', '7300000000000000105'), api.corpId),
        {
          timestamp: timestamp(),
        },
      );
      await refusedWithoutEffect(
        await post(signed.query, `${doctype}${signed.body.replace('<xml>', '<xml>&boom;')}`),
        400,
      );

      const inner =
        `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
        textXml('liumama', '&lol2;', '7300000000000000106');
      await refusedWithoutEffect(await deliver(inner), 400);
    });
  });
});
