import { describe, expect, it } from 'vitest';
import { decodeRosterText } from './decode.js';

const SAMPLE = '班级,学生姓名,家长姓名,关系,手机号\r\n一年级1班,张三,张父,父亲,13800000001\r\n';
const SAMPLE_GBK = Uint8Array.from(
  Buffer.from(
    'b0e0bcb62cd1a7c9fad0d5c3fb2cbcd2b3a4d0d5c3fb2cb9d8cfb52ccad6bbfabac50d0ad2bbc4eabcb631b0e02cd5c5c8fd2cd5c5b8b82cb8b8c7d72c31333830303030303030310d0a',
    'hex',
  ),
);

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return bytes;
}

describe('decodeRosterText', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeRosterText(new TextEncoder().encode(SAMPLE))).toEqual({
      ok: true,
      text: SAMPLE,
      encoding: 'utf-8',
      bom: false,
    });
  });

  it('strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SAMPLE)]);
    expect(decodeRosterText(bytes)).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-8', bom: true });
  });

  it('reads UTF-16 with a BOM (Excel "Unicode 文本")', () => {
    expect(decodeRosterText(utf16(SAMPLE, true))).toMatchObject({ ok: true, text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeRosterText(utf16(SAMPLE, false))).toMatchObject({ ok: true, text: SAMPLE, encoding: 'utf-16be' });
  });

  it('recognises GBK instead of reading it as UTF-8 garbage', () => {
    const result = decodeRosterText(SAMPLE_GBK);
    expect(result).toEqual({ ok: true, text: SAMPLE, encoding: 'gb18030', bom: false });
  });

  it('rejects binary files with a clear reason', () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    const result = decodeRosterText(xls);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/不是文本格式/);
  });

  it('rejects a file whose BOM lies', () => {
    const result = decodeRosterText(new Uint8Array([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0xfd]));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/UTF-8 编码，但内容无法按该编码读取/) });
  });
});
