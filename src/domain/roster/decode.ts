/**
 * Turns an uploaded CSV's bytes into text. Excel on Chinese Windows saves "CSV" as GBK and "CSV UTF-8"
 * with a BOM; "Unicode 文本" is UTF-16 with a BOM. UTF-8 is tried strictly first, so a GBK file is never
 * silently read as garbage; GBK (GB 18030) is then decoded where the runtime supports it.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export type DecodeResult =
  | { ok: true; text: string; encoding: TextEncodingName; bom: boolean }
  | { ok: false; reason: string };

const NOT_UTF8 =
  '文件不是 UTF-8 编码（可能是 GBK），且无法自动转换。请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”或 .xlsx 后重新导入';

function decode(bytes: Uint8Array, encoding: TextEncodingName): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

export function decodeRosterText(bytes: Uint8Array): DecodeResult {
  const boms: [number[], TextEncodingName][] = [
    [[0xef, 0xbb, 0xbf], 'utf-8'],
    [[0xff, 0xfe], 'utf-16le'],
    [[0xfe, 0xff], 'utf-16be'],
  ];
  for (const [bom, encoding] of boms) {
    if (!startsWith(bytes, bom)) continue;
    const text = decode(bytes.subarray(bom.length), encoding);
    return text === null
      ? { ok: false, reason: `文件开头标明为 ${encoding.toUpperCase()} 编码，但内容无法按该编码读取，请重新导出` }
      : { ok: true, text, encoding, bom: true };
  }
  if (bytes.subarray(0, 4096).includes(0)) {
    return { ok: false, reason: '文件不是文本格式的 CSV。Excel 文件请保存为 .xlsx 后导入' };
  }
  const utf8 = decode(bytes, 'utf-8');
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'utf-8', bom: false };
  const gbk = decode(bytes, 'gb18030');
  if (gbk !== null) return { ok: true, text: gbk, encoding: 'gb18030', bom: false };
  return { ok: false, reason: NOT_UTF8 };
}
