import { z } from 'zod';

export const hazardChatSchema = z.strictObject({
  /** Tags that make a message a hazard report even when the bot is not mentioned. */
  reportTags: z.array(z.string().trim().min(1)).min(1),
  /** Longer messages get a polite refusal instead of a draft. */
  maxTextLength: z.number().int().min(50).max(10_000),
  /** Photos posted this many minutes before or after a report (or a fix) belong to it. */
  photoWindowMinutes: z.number().int().min(1).max(60),
  /** How many rows the 台账 / 我的 / 逾期 lists show (the total is always counted). */
  listLimit: z.number().int().min(1).max(50),
  /** How many timeline entries the record card shows (the newest). */
  timelineLimit: z.number().int().min(1).max(100),
  incident: z.strictObject({
    /** The district's first-report deadline for an incident (首报时限), in minutes. */
    firstReportMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
  }),
});

export type HazardChatSettings = z.infer<typeof hazardChatSchema>;

/** How the hazard ledger behaves in the chat (defaults from DOMAIN.md). */
export const defaultHazardChat: HazardChatSettings = {
  reportTags: ['#隐患', '＃隐患'],
  maxTextLength: 2000,
  photoWindowMinutes: 5,
  listLimit: 15,
  timelineLimit: 20,
  incident: { firstReportMinutes: 60 },
};
