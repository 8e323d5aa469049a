import { describe, expectTypeOf, it } from 'vitest';
import type { hazards } from '../../db/tables/hazards.js';
import type { HazardFields } from './types.js';

describe('hazard shape', () => {
  it('accepts a selected hazards row, and a patch fits the insert shape', () => {
    expectTypeOf<typeof hazards.$inferSelect>().toExtend<HazardFields>();
    expectTypeOf<Partial<HazardFields>>().toExtend<Partial<typeof hazards.$inferInsert>>();
  });
});
