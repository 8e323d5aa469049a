import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('splits plain rows with CRLF or LF', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n4,5,6\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('handles quotes, escaped quotes and line breaks inside quotes', () => {
    expect(parseCsv('"a,1","say ""hi""","line\nbreak"\nx,,"')).toEqual([
      ['a,1', 'say "hi"', 'line\nbreak'],
      ['x', '', ''],
    ]);
  });

  it('keeps blank lines so row numbers match the spreadsheet', () => {
    const rows = parseCsv('h1,h2\n\nv1,v2');
    expect(rows).toEqual([['h1', 'h2'], [''], ['v1', 'v2']]);
    expect(rows[2]).toEqual(['v1', 'v2']);
  });

  it('keeps a trailing empty field and treats a lone CR as a line end', () => {
    expect(parseCsv('a,\rb,c')).toEqual([
      ['a', ''],
      ['b', 'c'],
    ]);
  });

  it('detects tab and semicolon separated text', () => {
    expect(detectDelimiter('班级\t学生姓名\t手机号\n')).toBe('\t');
    expect(detectDelimiter('班级;学生姓名;手机号')).toBe(';');
    expect(detectDelimiter('班级,学生姓名')).toBe(',');
    expect(parseCsv('a\tb, c\td\n1\t2\t3')).toEqual([
      ['a', 'b, c', 'd'],
      ['1', '2', '3'],
    ]);
  });
});
