import type { Attachment } from '../../model/inbound.js';

/**
 * A WeChat image cannot @-mention anyone, so a teacher reports with a photo first and "@校安 …" after.
 * This keeps each person's latest room images for a short while and hands them to their next mention.
 */
export interface RecentImages {
  remember(roomId: string, talkerId: string, attachment: Attachment, at: Date): void;
  /** The talker's images in that room within the window, oldest first; they are handed out once. */
  take(roomId: string, talkerId: string, now: Date): Attachment[];
}

export const RECENT_IMAGE_WINDOW_MS = 5 * 60_000;
/** WeChat sends at most 9 images at once. */
export const RECENT_IMAGE_LIMIT = 9;
const MAX_TRACKED_TALKERS = 1000;

export function createRecentImages(windowMs = RECENT_IMAGE_WINDOW_MS): RecentImages {
  const byTalker = new Map<string, { attachment: Attachment; at: number }[]>();
  const keyOf = (roomId: string, talkerId: string) => `${roomId}\n${talkerId}`;

  const prune = (now: number) => {
    for (const [key, images] of byTalker) {
      if (images.every((image) => now - image.at > windowMs)) byTalker.delete(key);
    }
  };

  return {
    remember(roomId, talkerId, attachment, at) {
      const key = keyOf(roomId, talkerId);
      const images = [...(byTalker.get(key) ?? []), { attachment, at: at.getTime() }].slice(-RECENT_IMAGE_LIMIT);
      byTalker.delete(key);
      byTalker.set(key, images);
      if (byTalker.size > MAX_TRACKED_TALKERS) {
        prune(at.getTime());
        const oldest = byTalker.keys().next().value;
        if (byTalker.size > MAX_TRACKED_TALKERS && oldest !== undefined) byTalker.delete(oldest);
      }
    },
    take(roomId, talkerId, now) {
      const key = keyOf(roomId, talkerId);
      const images = byTalker.get(key) ?? [];
      byTalker.delete(key);
      return images.filter((image) => now.getTime() - image.at <= windowMs).map((image) => image.attachment);
    },
  };
}
