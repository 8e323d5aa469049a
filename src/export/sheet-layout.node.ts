import type ExcelJS from 'exceljs';
import type { SheetColumn } from '../domain/ledger/sheet.js';
import type { Table } from '../domain/ledger/report-tables.js';

/** Columns wider than this wrap their text instead of running on. */
const WRAP_FROM_WIDTH = 25;

/**
 * A data sheet: the header in row 1 (bold, frozen, filterable), then one row per record. No title row,
 * so any reader that takes row 1 as the header parses it.
 */
export function addDataSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn[],
  rows: readonly (readonly string[])[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { vertical: 'middle' };
  for (const row of rows) sheet.addRow([...row]);
  columns.forEach((column, index) => {
    if (column.width >= WRAP_FROM_WIDTH) sheet.getColumn(index + 1).alignment = { wrapText: true, vertical: 'top' };
  });
  if (rows.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }
  return sheet;
}

/** Appends a table (bold header) at the sheet's next row, with a blank row after it. */
export function appendTable(sheet: ExcelJS.Worksheet, table: Table): void {
  const header = sheet.addRow(table.headers);
  header.font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.addRow([]);
}
