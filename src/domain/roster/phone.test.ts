import { describe, expect, it } from 'vitest';
import { hashPhone, last4, maskPhone, normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+86-13812345678', '13812345678'],
    ['(+86)13812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ["'13812345678", '13812345678'],
    ['13812345678.0', '13812345678'],
  ])('accepts %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each(['', '1381234567', '138123456789', '23812345678', '12812345678', '010-12345678', '1.38123E+10', 'abc'])(
    'rejects %s',
    (raw) => {
      expect(normalisePhone(raw)).toBeNull();
    },
  );
});

describe('hashPhone', () => {
  it('is stable for the same number and salt, whatever the spelling', () => {
    const a = hashPhone('13812345678', 'secret-1');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPhone('+86 138-1234-5678', 'secret-1')).toBe(a);
  });

  it('differs with another salt or another number', () => {
    const a = hashPhone('13812345678', 'secret-1');
    expect(hashPhone('13812345678', 'secret-2')).not.toBe(a);
    expect(hashPhone('13812345679', 'secret-1')).not.toBe(a);
  });

  it('does not contain the number', () => {
    expect(hashPhone('13812345678', 'salt')).not.toContain('12345678');
  });

  it('refuses an empty salt and an invalid number', () => {
    expect(() => hashPhone('13812345678', '')).toThrow(/salt/);
    expect(() => hashPhone('12345', 'salt')).toThrow();
  });
});

describe('last4 and maskPhone', () => {
  it('takes the last four digits of a valid number', () => {
    expect(last4('+86 138 1234 5678')).toBe('5678');
    expect(() => last4('5678')).toThrow();
  });

  it('masks a full number or stored last four digits', () => {
    expect(maskPhone('13812345678')).toBe('****5678');
    expect(maskPhone('5678')).toBe('****5678');
    expect(maskPhone('138 1234 5678')).toBe('****5678');
  });

  it('reveals nothing of an invalid value', () => {
    expect(maskPhone('12345')).toBe('****');
    expect(maskPhone('')).toBe('****');
  });
});
