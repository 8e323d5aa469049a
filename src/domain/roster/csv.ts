/**
 * RFC 4180 CSV as spreadsheets export it: quoted fields with "" escapes and line breaks, CRLF or LF.
 * Tab-separated text (Excel's "Unicode 文本") and semicolons are recognised from the first line.
 * Blank lines are kept as rows so row numbers stay those the user sees in Excel.
 */

export type CsvDelimiter = ',' | '\t' | ';';

export function detectDelimiter(text: string): CsvDelimiter {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const candidates: CsvDelimiter[] = [',', '\t', ';'];
  return candidates.reduce((best, ch) => (count(ch) > count(best) ? ch : best), ',');
}

export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) endField();
    else if (ch === '\n') endRow();
    else if (ch === '\r') {
      endRow();
      if (text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0 || quoted) endRow();
  return rows;
}
