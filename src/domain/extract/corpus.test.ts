import { describe, expect, it } from 'vitest';
import { heldoutMessages } from './heldout.test-data.js';
import { probeMessages } from './probes.test-data.js';
import { score } from './scoring.test-helper.js';

describe.each([
  ['held-out messages', heldoutMessages],
  ['probe messages', probeMessages],
])('%s', (_name, messages) => {
  const scores = score(messages);

  it('finds safety reports (F1 ≥ 0.95)', () => {
    expect(scores.hazardF1).toBeGreaterThanOrEqual(0.95);
  });

  it('picks the category (≥ 0.90)', () => {
    expect(scores.category).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the location (≥ 0.85)', () => {
    expect(scores.location).toBeGreaterThanOrEqual(0.85);
  });

  it('suggests major for imminent danger (recall ≥ 0.80, false major ≤ 0.08)', () => {
    expect(scores.majorRecall).toBeGreaterThanOrEqual(0.8);
    expect(scores.falseMajor).toBeLessThanOrEqual(0.08);
  });
});

describe('labelled data', () => {
  it('covers every category, incidents and non-reports', () => {
    const all = [...heldoutMessages, ...probeMessages];
    const categories = new Set(all.map((m) => m.category));
    for (const code of ['fire', 'food', 'lab', 'equipment', 'traffic', 'building', 'facility', 'drowning']) {
      expect(categories).toContain(code);
    }
    for (const code of ['bullying', 'security', 'disaster', 'health', 'other']) expect(categories).toContain(code);
    expect(all.filter((m) => m.intent === 'incident').length).toBeGreaterThanOrEqual(10);
    expect(all.filter((m) => m.intent === 'other').length).toBeGreaterThanOrEqual(60);
  });
});
