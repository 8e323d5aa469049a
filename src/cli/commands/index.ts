import type { Command } from '../context.js';
import { campaignCreateCommand, campaignListCommand } from './campaign.js';
import { dashboardLinkCommand } from './dashboard-link.js';
import { migrateCommand, seedDemoCommand } from './database.js';
import { exportLedgerCommand, exportMonthlyCommand, exportStatsCommand } from './export.js';
import { exportReceiptsCommand } from './export-receipts.js';
import { extractCommand } from './extract-command.js';
import { importRosterCommand } from './import-roster.js';
import { chatBindCommand, personGrantCommand } from './org.js';
import { serveCommand } from './serve.js';
import { wechatyCommand } from './wechaty-command.js';

export const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  seedDemoCommand,
  chatBindCommand,
  personGrantCommand,
  extractCommand,
  wechatyCommand,
  importRosterCommand,
  campaignCreateCommand,
  campaignListCommand,
  exportReceiptsCommand,
  exportLedgerCommand,
  exportMonthlyCommand,
  exportStatsCommand,
  dashboardLinkCommand,
];
