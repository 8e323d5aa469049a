import { describe, expect, it } from 'vitest';
import { defaultTaxonomy, type Taxonomy, taxonomySchema } from '../../../bot-flows/taxonomy.js';
import { extract } from './index.js';

describe('taxonomySchema', () => {
  it('accepts the default taxonomy', () => {
    expect(taxonomySchema.safeParse(defaultTaxonomy).success).toBe(true);
  });

  it('has the DOMAIN.md category codes in order', () => {
    expect(defaultTaxonomy.categories.map((c) => c.code)).toEqual([
      'fire',
      'food',
      'lab',
      'equipment',
      'traffic',
      'building',
      'facility',
      'drowning',
      'bullying',
      'security',
      'disaster',
      'health',
      'other',
    ]);
  });

  it('rejects a pattern that is not a regular expression', () => {
    const broken = { ...defaultTaxonomy, majorCues: [{ id: 'broken', all: ['(unclosed'], none: [] }] };
    expect(taxonomySchema.safeParse(broken).success).toBe(false);
  });

  it('rejects a tie-break that names an unknown category', () => {
    const broken = {
      ...defaultTaxonomy,
      tieBreaks: [{ id: 'x', note: 'x', category: 'nonsense', all: ['校车'], none: [] }],
    };
    expect(taxonomySchema.safeParse(broken).success).toBe(false);
  });
});

describe('a district taxonomy', () => {
  it('is used instead of the default when passed', () => {
    const district: Taxonomy = taxonomySchema.parse({
      ...defaultTaxonomy,
      categories: defaultTaxonomy.categories.map((category) =>
        category.code === 'facility'
          ? { ...category, keywords: [...category.keywords, { weight: 5, risk: 3, terms: ['晾衣绳'], patterns: [] }] }
          : category,
      ),
    });
    const text = '宿舍阳台的晾衣绳挂得太低';
    expect(extract(text).intent).toBe('other');
    expect(extract(text, district)).toMatchObject({ intent: 'hazard', category: 'facility', location: '宿舍阳台' });
  });
});
