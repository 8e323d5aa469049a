import ExcelJS from 'exceljs';
import {
  LEDGER_COLUMNS,
  LEDGER_SHEET,
  ledgerCells,
  type SheetContext,
  TIMELINE_COLUMNS,
  TIMELINE_SHEET,
  timelineCells,
} from '../domain/ledger/sheet.js';
import type { LedgerData } from '../db/repos/ledger-records.js';
import { addDataSheet } from './sheet-layout.node.js';

/**
 * The 隐患台账 workbook: sheet 隐患台账 (one row per hazard, LEDGER_COLUMNS) and sheet 处理记录 (the
 * timeline of those hazards, TIMELINE_COLUMNS). Row 1 of each sheet is its header.
 */
export function buildLedgerWorkbook(data: LedgerData, context: SheetContext & { title: string }): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.title = context.title;
  workbook.creator = '校安';
  const rows = data.hazards.map((hazard) => ledgerCells(hazard, data.events.get(hazard.id) ?? [], context));
  addDataSheet(workbook, LEDGER_SHEET, LEDGER_COLUMNS, rows);
  const timeline = data.hazards.flatMap((hazard) =>
    (data.events.get(hazard.id) ?? []).map((event) => timelineCells(event, context)),
  );
  addDataSheet(workbook, TIMELINE_SHEET, TIMELINE_COLUMNS, timeline);
  return workbook;
}
