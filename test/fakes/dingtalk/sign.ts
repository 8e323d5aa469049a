import { createHmac } from 'node:crypto';

/** Headers DingTalk puts on a robot message callback (dingtalk.md §2.1): plain Base64, no URL-encoding. */
export function signRobotCallback(appSecret: string, timestampMs: number): { timestamp: string; sign: string } {
  const timestamp = String(timestampMs);
  const sign = createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
  return { timestamp, sign };
}

/** Headers of a card-platform HTTP callback when an apiSecret was registered (dingtalk.md §8.2). */
export function signCardCallback(apiSecret: string, timestampMs: number): Record<string, string> {
  const timestamp = String(timestampMs);
  return {
    'x-ddpaas-signature-timestamp': timestamp,
    'x-ddpaas-signature': createHmac('sha256', apiSecret).update(timestamp).digest('base64'),
  };
}
