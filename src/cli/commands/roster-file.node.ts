import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { parseCsv } from '../../domain/roster/csv.js';
import { decodeRosterText, type TextEncodingName } from '../../domain/roster/decode.js';
import {
  parseRosterSheets,
  type RosterParseResult,
  type RosterSheet,
  type RosterSheetRow,
  rosterFailure,
} from '../../domain/roster/parse.js';
import type { CellValue } from '../../domain/roster/text.js';

/**
 * Reads a roster file (.xlsx or .csv) for `xiaoan import-roster` and parses it. The format is taken from
 * the file's first bytes, not its name, because schools rename files freely. Every failure — missing
 * file, old .xls, GBK that cannot be decoded — comes back as a fatal problem in Chinese, never a throw.
 */

export const MAX_ROSTER_FILE_BYTES = 20 * 1024 * 1024;

export interface RosterFileResult extends RosterParseResult {
  format: 'xlsx' | 'csv' | null;
  /** For CSV: the encoding the text was read in. */
  encoding: TextEncodingName | null;
  /** Things the administrator should know that concern the file as a whole. */
  notices: string[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function hasMagic(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function failed(reason: string): RosterFileResult {
  return { ...rosterFailure(0, reason), format: null, encoding: null, notices: [] };
}

export async function readRosterFile(path: string): Promise<RosterFileResult> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return failed(`“${path}”不是文件`);
    size = info.size;
  } catch {
    return failed(`找不到文件“${path}”`);
  }
  if (size > MAX_ROSTER_FILE_BYTES) {
    return failed(`文件超过 ${MAX_ROSTER_FILE_BYTES / 1024 / 1024} MB，请删除无关的工作表或按年级拆分后导入`);
  }
  return parseRosterBytes(new Uint8Array(await readFile(path)), path);
}

export async function parseRosterBytes(bytes: Uint8Array, fileName: string): Promise<RosterFileResult> {
  if (bytes.length === 0) return failed('文件是空的');
  if (hasMagic(bytes, OLE_MAGIC)) {
    return failed('不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或“CSV UTF-8（逗号分隔）”后导入');
  }
  if (hasMagic(bytes, ZIP_MAGIC)) return parseXlsx(bytes);
  if (/^\.xlsx?$/i.test(extname(fileName))) {
    return failed('文件扩展名是 Excel，但内容不是 .xlsx 格式，请用 Excel 重新保存为 .xlsx 后导入');
  }
  return parseCsvBytes(bytes);
}

function parseCsvBytes(bytes: Uint8Array): RosterFileResult {
  const decoded = decodeRosterText(bytes);
  if (!decoded.ok) return failed(decoded.reason);
  const notices =
    decoded.encoding === 'gb18030' ? ['文件是 GBK 编码，已自动转换。建议以后另存为“CSV UTF-8（逗号分隔）”'] : [];
  const result = parseRosterSheets([{ name: null, rows: parseCsv(decoded.text) }]);
  return { ...result, format: 'csv', encoding: decoded.encoding, notices };
}

async function parseXlsx(bytes: Uint8Array): Promise<RosterFileResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer-like Buffer; a copied ArrayBuffer satisfies both.
    const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    await workbook.xlsx.load(data);
  } catch {
    return failed('无法读取该 Excel 文件，文件可能已损坏或设置了密码，请用 Excel 打开后重新保存为 .xlsx');
  }
  const visible = workbook.worksheets.filter((sheet) => sheet.state !== 'hidden' && sheet.state !== 'veryHidden');
  if (visible.length === 0) return failed('Excel 文件中没有工作表');
  const sheets: RosterSheet[] = visible.map((sheet) => ({
    name: visible.length > 1 ? sheet.name : null,
    rows: sheetRows(sheet),
  }));
  return { ...parseRosterSheets(sheets), format: 'xlsx', encoding: null, notices: [] };
}

function sheetRows(sheet: ExcelJS.Worksheet): RosterSheetRow[] {
  const rows: RosterSheetRow[] = [];
  for (let number = 1; number <= sheet.rowCount; number++) {
    const row = sheet.findRow(number);
    const cells: CellValue[] = [];
    if (row) {
      for (let column = 1; column <= row.cellCount; column++) cells.push(plainValue(row.getCell(column).value));
    }
    rows.push(cells);
  }
  return rows;
}

function richText(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'richText' in value && Array.isArray(value.richText)) {
    return value.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
  }
  return null;
}

/** Formulas give their cached result, rich text and hyperlinks their text, errors nothing. */
function plainValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  const rich = richText(value);
  if (rich !== null) return rich;
  if ('result' in value || 'formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || (typeof result === 'object' && !(result instanceof Date)) ? null : result;
  }
  if ('hyperlink' in value) return richText(value.text) ?? String(value.text ?? '');
  return null;
}
