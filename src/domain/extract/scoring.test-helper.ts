import type { LabelledMessage } from './heldout.test-data.js';
import { extract } from './index.js';

export interface Scores {
  hazardF1: number;
  category: number;
  location: number;
  majorRecall: number;
  falseMajor: number;
}

const squash = (text: string | null): string =>
  (text ?? '').replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');

/** The same figures as /work/shared/tools/score-extract.py. */
export function score(messages: readonly LabelledMessage[]): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let categoryOk = 0;
  let categoryN = 0;
  let locationOk = 0;
  let locationN = 0;
  let majorHit = 0;
  let majorN = 0;
  let falseMajor = 0;
  let generalN = 0;
  for (const gold of messages) {
    const got = extract(gold.text);
    const goldReport = gold.intent !== 'other';
    const gotReport = got.intent !== 'other';
    if (goldReport && gotReport) tp++;
    if (!goldReport && gotReport) fp++;
    if (goldReport && !gotReport) fn++;
    if (!goldReport) continue;
    categoryN++;
    if (got.category === gold.category) categoryOk++;
    if (gold.location) {
      locationN++;
      const predicted = squash(got.location);
      const expected = squash(gold.location);
      if (predicted && (predicted.includes(expected) || (predicted.length >= 2 && expected.includes(predicted)))) {
        locationOk++;
      }
    }
    if (gold.level === 'major') {
      majorN++;
      if (got.level === 'major') majorHit++;
    } else {
      generalN++;
      if (got.level === 'major') falseMajor++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    hazardF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    category: categoryN ? categoryOk / categoryN : 1,
    location: locationN ? locationOk / locationN : 1,
    majorRecall: majorN ? majorHit / majorN : 1,
    falseMajor: generalN ? falseMajor / generalN : 0,
  };
}
