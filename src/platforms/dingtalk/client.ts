import { z } from 'zod';
import type { Log } from '../types.js';
import type { DingtalkConfig } from './config.js';
import { type ApiFailure, type ApiResult, classifyResponse } from './errors.js';

/** Refresh this long before DingTalk's stated expiry (the Python SDK uses 5 minutes too). */
const TOKEN_EARLY_REFRESH_MS = 5 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;

const tokenSchema = z.object({ accessToken: z.string().min(1), expireIn: z.number().positive() });
const groupSendSchema = z.looseObject({ processQueryKey: z.string().optional() });
const batchSendSchema = z.looseObject({
  processQueryKey: z.string().optional(),
  invalidStaffIdList: z.array(z.string()).optional(),
  flowControlledStaffIdList: z.array(z.string()).optional(),
});
const dingSchema = z.looseObject({
  openDingId: z.string().optional(),
  failedList: z.record(z.string(), z.array(z.string())).optional(),
});
const downloadSchema = z.looseObject({ downloadUrl: z.string().min(1) });
const cardSchema = z.looseObject({ success: z.boolean().optional(), result: z.unknown().optional() });
/** Legacy endpoints always answer {errcode, errmsg}; anything else (a proxy's page) is not a success. */
const legacySchema = z.looseObject({ errcode: z.coerce.number() });

export type GroupSendResult = z.infer<typeof groupSendSchema>;
export type BatchSendResult = z.infer<typeof batchSendSchema>;
export type DingResult = z.infer<typeof dingSchema>;

export interface RobotMessagePayload {
  msgKey: string;
  msgParam: string;
}

export interface DingtalkClientOptions {
  config: DingtalkConfig;
  log: Log;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * DingTalk OpenAPI over fetch (Workers-safe). One access token per client instance, fetched with
 * /v1.0/oauth2/accessToken, refreshed before expiry and once more when DingTalk refuses it.
 */
export class DingtalkClient {
  private readonly config: DingtalkConfig;
  private readonly log: Log;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => Date;
  private token: { value: string; refreshAt: number } | null = null;
  private pendingToken: Promise<ApiResult<string>> | null = null;

  constructor(options: DingtalkClientOptions) {
    this.config = options.config;
    this.log = options.log;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? (() => new Date());
  }

  /** A valid access token; concurrent callers share one fetch. */
  async accessToken(): Promise<ApiResult<string>> {
    if (this.token && this.token.refreshAt > this.now().getTime()) return { ok: true, data: this.token.value };
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  invalidateToken(): void {
    this.token = null;
  }

  private async fetchToken(): Promise<ApiResult<string>> {
    const result = await this.request(
      `${this.config.apiBaseUrl}/v1.0/oauth2/accessToken`,
      { method: 'POST', body: { appKey: this.config.clientId, appSecret: this.config.clientSecret } },
      tokenSchema,
    );
    if (!result.ok) {
      // A refused token request is a credentials problem, not something a fresh token would fix.
      const { tokenInvalid: _, ...failure } = result;
      this.log.warn({ error: failure.error }, 'dingtalk access token request failed');
      return failure;
    }
    const lifetime = result.data.expireIn * 1000;
    this.token = {
      value: result.data.accessToken,
      refreshAt: this.now().getTime() + Math.max(lifetime - TOKEN_EARLY_REFRESH_MS, lifetime / 2),
    };
    return { ok: true, data: result.data.accessToken };
  }

  /** One HTTP exchange: never throws; network failures are transient. */
  private async request<T>(
    url: string,
    init: { method: 'GET' | 'POST' | 'PUT'; body?: unknown; headers?: Record<string, string> },
    schema: z.ZodType<T>,
  ): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: init.method,
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', ...init.headers },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return {
        ok: false,
        kind: 'transient',
        error: `network: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    const failure = classifyResponse(response.status, body, response.headers);
    if (failure) return failure;
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) {
      return { ok: false, kind: 'transient', error: `unexpected response from ${new URL(url).pathname}` };
    }
    return { ok: true, data: parsed.data };
  }

  /** An authenticated new-API call; a refused token is refreshed and the call tried once more. */
  private async api<T>(
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<ApiResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      if (!token.ok) return token;
      const result = await this.request(
        `${this.config.apiBaseUrl}${path}`,
        { method, body, headers: { 'x-acs-dingtalk-access-token': token.data } },
        schema,
      );
      if (result.ok || !result.tokenInvalid) return result;
      this.invalidateToken();
      if (attempt >= 2) return withoutTokenFlag(result);
      this.log.info({ path }, 'dingtalk refused the access token; refreshing once');
    }
  }

  /**
   * POST a custom-robot style body to a message's sessionWebhook (no token needed). Only URLs on the
   * configured legacy API host are followed: the URL came from a callback body and must not steer our
   * requests anywhere else.
   */
  async sendBySession(sessionWebhook: string, body: Record<string, unknown>): Promise<ApiResult<unknown>> {
    let url: URL;
    try {
      url = new URL(sessionWebhook);
    } catch {
      return { ok: false, kind: 'permanent', error: 'sessionWebhook is not a URL' };
    }
    if (url.origin !== new URL(this.config.oapiBaseUrl).origin) {
      return { ok: false, kind: 'permanent', error: `sessionWebhook host ${url.host} is not the DingTalk API host` };
    }
    const result = await this.request(url.toString(), { method: 'POST', body }, legacySchema);
    return result.ok ? result : withoutTokenFlag(result);
  }

  sendGroupMessage(openConversationId: string, message: RobotMessagePayload): Promise<ApiResult<GroupSendResult>> {
    return this.api(
      'POST',
      '/v1.0/robot/groupMessages/send',
      { robotCode: this.config.robotCode, openConversationId, ...message },
      groupSendSchema,
    );
  }

  /** 1:1 messages from the robot (at most 20 userIds per call). */
  sendToUsers(userIds: string[], message: RobotMessagePayload): Promise<ApiResult<BatchSendResult>> {
    return this.api(
      'POST',
      '/v1.0/robot/oToMessages/batchSend',
      { robotCode: this.config.robotCode, userIds, ...message },
      batchSendSchema,
    );
  }

  /** DING (paid editions only): remindType 1 = in-app. */
  sendDing(userIds: string[], content: string): Promise<ApiResult<DingResult>> {
    return this.api(
      'POST',
      '/v1.0/robot/ding/send',
      { robotCode: this.config.robotCode, remindType: 1, receiverUserIdList: userIds, content },
      dingSchema,
    );
  }

  /** A temporary download URL for a received picture/file (downloadCode from the message). */
  async fileDownloadUrl(downloadCode: string): Promise<ApiResult<string>> {
    const result = await this.api(
      'POST',
      '/v1.0/robot/messageFiles/download',
      { downloadCode, robotCode: this.config.robotCode },
      downloadSchema,
    );
    return result.ok ? { ok: true, data: result.data.downloadUrl } : result;
  }

  /** The bytes of a received picture/file. */
  async downloadFile(downloadCode: string): Promise<ApiResult<{ bytes: Uint8Array; contentType: string }>> {
    const link = await this.fileDownloadUrl(downloadCode);
    if (!link.ok) return link;
    try {
      const response = await this.fetchImpl(link.data, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (!response.ok) {
        return {
          ok: false,
          kind: response.status >= 500 ? 'transient' : 'permanent',
          error: `download HTTP ${response.status}`,
        };
      }
      return {
        ok: true,
        data: {
          bytes: new Uint8Array(await response.arrayBuffer()),
          contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        },
      };
    } catch (error) {
      return {
        ok: false,
        kind: 'transient',
        error: `download: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  createAndDeliverCard(payload: Record<string, unknown>): Promise<ApiResult<z.infer<typeof cardSchema>>> {
    return this.api('POST', '/v1.0/card/instances/createAndDeliver', payload, cardSchema);
  }

  updateCard(payload: Record<string, unknown>): Promise<ApiResult<z.infer<typeof cardSchema>>> {
    return this.api('PUT', '/v1.0/card/instances', payload, cardSchema);
  }

  /** Points a callbackRouteKey at our HTTP endpoint; DingTalk then signs card callbacks with apiSecret. */
  registerCardCallback(input: {
    callbackRouteKey: string;
    callbackUrl: string;
    apiSecret: string;
  }): Promise<ApiResult<unknown>> {
    return this.api('POST', '/v1.0/card/callbacks/register', { ...input, forceUpdate: true }, cardSchema);
  }
}

function withoutTokenFlag(failure: ApiFailure): ApiFailure {
  const { tokenInvalid: _, ...rest } = failure;
  return rest;
}
