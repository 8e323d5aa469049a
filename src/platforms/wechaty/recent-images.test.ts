import { describe, expect, it } from 'vitest';
import { createRecentImages, RECENT_IMAGE_LIMIT, RECENT_IMAGE_WINDOW_MS } from './recent-images.js';

const at = (ms: number) => new Date(Date.UTC(2026, 2, 2, 8) + ms);
const image = (key: string) => ({ kind: 'image' as const, key });

describe('createRecentImages', () => {
  it("hands a person's recent room images to their next take, once, and nobody else's", () => {
    const images = createRecentImages();
    images.remember('r1@chatroom', 'alice', image('m1'), at(0));
    images.remember('r1@chatroom', 'alice', image('m2'), at(1000));
    images.remember('r1@chatroom', 'bob', image('m3'), at(1000));
    images.remember('r2@chatroom', 'alice', image('m4'), at(1000));
    expect(images.take('r1@chatroom', 'alice', at(2000))).toEqual([image('m1'), image('m2')]);
    expect(images.take('r1@chatroom', 'alice', at(3000))).toEqual([]);
    expect(images.take('r1@chatroom', 'bob', at(3000))).toEqual([image('m3')]);
  });

  it('forgets images older than the window and keeps at most the latest nine', () => {
    const images = createRecentImages();
    images.remember('r1@chatroom', 'alice', image('old'), at(0));
    for (let i = 0; i < RECENT_IMAGE_LIMIT; i++) images.remember('r1@chatroom', 'alice', image(`n${i}`), at(60_000));
    const taken = images.take('r1@chatroom', 'alice', at(RECENT_IMAGE_WINDOW_MS + 1));
    expect(taken).toHaveLength(RECENT_IMAGE_LIMIT);
    expect(taken.map((a) => a.key)).not.toContain('old');

    images.remember('r1@chatroom', 'alice', image('stale'), at(0));
    expect(images.take('r1@chatroom', 'alice', at(RECENT_IMAGE_WINDOW_MS + 1))).toEqual([]);
  });
});
