import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from '../../../bot-flows/taxonomy.js';
import { extract } from './index.js';
import { cleanMessage, compileMentionStripper, normalizeForMatching } from './normalize.js';

const strip = compileMentionStripper(defaultTaxonomy.botNames);

describe('cleanMessage', () => {
  it('strips a bot mention followed by a space', () => {
    expect(cleanMessage('@安全助手 二楼走廊的灭火器箱是空的', strip)).toBe('二楼走廊的灭火器箱是空的');
  });

  it('strips a known bot name written without a space', () => {
    expect(cleanMessage('@校安二楼走廊的灯坏了', strip)).toBe('二楼走廊的灯坏了');
  });

  it('strips mentions of people, broadcast mentions and trailing mentions', () => {
    expect(cleanMessage('@张老师 @所有人 南门伸缩门坏了 @安全助手', strip)).toBe('南门伸缩门坏了');
  });

  it('strips the full-width at sign and the four-per-em space some clients insert', () => {
    expect(cleanMessage('＠小安\u2005食堂冷柜坏了', strip)).toBe('食堂冷柜坏了');
  });

  it('removes zero-width characters and collapses whitespace', () => {
    expect(cleanMessage('  三楼\u200b 楼梯口\n\n灯不亮  ', strip)).toBe('三楼 楼梯口 灯不亮');
  });
});

describe('normalizeForMatching', () => {
  it('maps full-width ASCII to half-width and upper to lower case without changing length', () => {
    const text = '校医室的ＡＥＤ没电，３号楼（东）OK';
    const normalized = normalizeForMatching(text);
    expect(normalized).toBe('校医室的aed没电,3号楼(东)ok');
    expect(normalized).toHaveLength(text.length);
  });
});

describe('extract description', () => {
  it('is the cleaned text, and locations are cut from it', () => {
    const result = extract('@安全助手   二楼走廊的灭火器箱是空的 ');
    expect(result.description).toBe('二楼走廊的灭火器箱是空的');
    expect(result.location).toBe('二楼走廊');
  });
});

describe('long input', () => {
  it('reads only the opening of a very long paste but keeps the whole description', () => {
    const text = `${'收到'.repeat(600)}二楼走廊的灭火器过期了`;
    const result = extract(text);
    expect(result.intent).toBe('other');
    expect(result.description).toBe(text);
  });
});
