import type { Taxonomy } from '../../../bot-flows/taxonomy.js';
import type { Signals } from './signals.js';
import type { ExtractionIntent } from './types.js';

export interface IntentDecider {
  isResolved(text: string): boolean;
  hasIncident(text: string): boolean;
  decide(text: string, signals: Signals): ExtractionIntent;
}

const HYPOTHETICAL_WINDOW = 4;

function globalRegex(source: string): RegExp {
  return new RegExp(source, 'g');
}

export function compileIntent(taxonomy: Taxonomy): IntentDecider {
  const resolved = taxonomy.resolvedCues.map(globalRegex);
  const contrast = new RegExp(taxonomy.contrastCue);
  const incidents = taxonomy.incidentCues.map(globalRegex);
  const hypothetical = new RegExp(taxonomy.hypotheticalCue);
  const { minCategory, minTotal, standalone, incidentNegative } = taxonomy.thresholds;

  const isResolved = (text: string): boolean =>
    resolved.some((re) => {
      for (const match of text.matchAll(re)) {
        if (!contrast.test(text.slice(match.index + match[0].length))) return true;
      }
      return false;
    });

  const hasIncident = (text: string): boolean =>
    incidents.some((re) => {
      for (const match of text.matchAll(re)) {
        if (!hypothetical.test(text.slice(Math.max(0, match.index - HYPOTHETICAL_WINDOW), match.index))) return true;
      }
      return false;
    });

  return {
    isResolved,
    hasIncident,
    decide(text, { categoryScores, risk, negative }) {
      if (isResolved(text)) return 'other';
      if (negative < incidentNegative && hasIncident(text)) return 'incident';
      const best = Math.max(0, ...categoryScores);
      if (best >= minCategory && risk > 0 && best + risk - negative >= minTotal) return 'hazard';
      if (best >= standalone && negative === 0) return 'hazard';
      return 'other';
    },
  };
}
