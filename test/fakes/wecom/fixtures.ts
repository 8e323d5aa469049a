import { readFileSync } from 'node:fs';

const dir = new URL('../../fixtures/wecom/', import.meta.url);

export const wecomFixtureText = (name: string): string => readFileSync(new URL(name, dir), 'utf8');

export const wecomFixture = <T = Record<string, unknown>>(name: string): T => JSON.parse(wecomFixtureText(name)) as T;

export interface OfficialVector {
  token: string;
  encodingAesKey: string;
  corpId: string;
  timestamp: string;
  nonce: string;
  echostr: string;
  msgSignature: string;
  message: string;
}

export const officialVector = (): OfficialVector => wecomFixture<OfficialVector>('official-vector.json');
