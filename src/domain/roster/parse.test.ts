import { describe, expect, it } from 'vitest';
import { mapHeaderRow } from './columns.js';
import { parseRoster, parseRosterSheets, studentKey } from './parse.js';
import { normaliseRelation } from './relation.js';

const HEADER = ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'];

function problemsAt(result: ReturnType<typeof parseRoster>, line: number) {
  return result.problems.filter((p) => p.line === line);
}

describe('header recognition', () => {
  it('accepts common header variants', () => {
    const result = parseRoster([
      ['姓名', '班级名称', '学籍号', '监护人', '与学生关系', '联系电话'],
      ['张三', '三年级2班', 'S01', '张大山', '爸爸', '13812345678'],
    ]);
    expect(result.fatal).toBeNull();
    expect(result.rows).toEqual([
      {
        key: studentKey('三年级2班', '张三', 'S01'),
        line: 2,
        className: '三年级2班',
        studentName: '张三',
        studentNo: 'S01',
        guardians: [{ phone: '13812345678', relation: '父亲', line: 2 }],
      },
    ]);
    expect(result.guardians[0]?.name).toBe('张大山');
  });

  it.each([
    [['学生', '班', '家长', '关系', '手机']],
    [['学生姓名', '班级', '家长姓名', '家长关系', '电话']],
    [['* 学生姓名', '班级（必填）', '家长姓名', '关系', '手机号码(必填)']],
  ])('maps %j without 学号', (header) => {
    const mapping = mapHeaderRow(header);
    expect(mapping.missing).toEqual([]);
    expect(mapping.columns.studentNo).toBeUndefined();
  });

  it('prefers the better spelling when two columns name the same field', () => {
    const mapping = mapHeaderRow(['联系方式', '班级', '学生姓名', '家长姓名', '关系', '手机号']);
    expect(mapping.columns.phone).toBe(5);
    expect(mapping.ignored).toEqual([{ index: 0, header: '联系方式', field: 'phone' }]);
  });

  it('reports an ignored duplicate column as a warning on the header line', () => {
    const result = parseRoster([
      [...HEADER, '电话'],
      ['一年级1班', '李四', '', '李父', '父亲', '13900000001', '010-1234567'],
    ]);
    expect(result.fatal).toBeNull();
    expect(problemsAt(result, 1)).toEqual([
      { line: 1, reason: '第 G 列“电话”与已识别的“手机号”列重复，已忽略', severity: 'warning' },
    ]);
  });

  it('finds the header below a title row and keeps spreadsheet line numbers', () => {
    const result = parseRoster([
      ['实验小学 2024 年家长通讯录'],
      [],
      HEADER,
      ['一年级1班', '李四', '', '李父', '父亲', 'bad'],
    ]);
    expect(result.sheets).toEqual([{ name: null, headerLine: 3 }]);
    expect(problemsAt(result, 4)[0]?.reason).toMatch(/手机号格式不正确/);
  });

  it('is one fatal error naming every missing required column', () => {
    const result = parseRoster([
      ['班级', '学生姓名', '父亲电话', '母亲电话'],
      ['一年级1班', '李四', '13900000001', '13900000002'],
    ]);
    expect(result.rows).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.fatal).toEqual(result.problems[0]);
    expect(result.fatal?.severity).toBe('fatal');
    expect(result.fatal?.line).toBe(1);
    expect(result.fatal?.reason).toMatch(/^缺少必需的列：家长姓名、关系、手机号。/);
    expect(result.fatal?.reason).toContain('每位家长一行');
  });

  it('rejects an empty file and a file without any header', () => {
    expect(parseRoster([]).fatal?.reason).toBe('文件中没有数据');
    expect(parseRoster([[], ['']]).fatal?.reason).toBe('文件中没有数据');
    expect(
      parseRoster([
        ['a', 'b'],
        ['1', '2'],
      ]).fatal?.reason,
    ).toMatch(/^找不到表头/);
  });
});

describe('row validation', () => {
  const result = parseRoster([
    HEADER,
    ['一年级1班', '王小明', '', '王大明', '父亲', '138 1234 5678'],
    ['', '赵六', '', '赵父', '父亲', '13912345678'],
    ['一年级1班', '', '', '某某', '母亲', '13912345679'],
    ['', '', '', '', '', '13912345670'],
    ['一年级1班', '孙七', '', '孙母', '母亲', '1391234567'],
    ['一年级1班', '孙七', '', '孙父', '父亲', ''],
    [null, undefined, '', ''],
    ['一年级1班', '周八', '', '', '干爹', '+86 139-0000-0008'],
    ['一年级1班', '吴九', '', '吴姑', '姑姑', '13900000009'],
    ['一年级1班', '郑十', '', '郑父', '', '13900000010'],
  ]);

  it('keeps good rows', () => {
    const wang = result.rows.find((r) => r.studentName === '王小明');
    expect(wang?.guardians).toEqual([{ phone: '13812345678', relation: '父亲', line: 2 }]);
  });

  it('skips rows without class or student, with their line numbers', () => {
    expect(problemsAt(result, 3)).toEqual([{ line: 3, reason: '班级为空，已跳过该行', severity: 'error' }]);
    expect(problemsAt(result, 4)).toEqual([{ line: 4, reason: '学生姓名为空，已跳过该行', severity: 'error' }]);
    expect(problemsAt(result, 5)).toEqual([{ line: 5, reason: '班级和学生姓名都为空，已跳过该行', severity: 'error' }]);
    expect(result.rows.map((r) => r.studentName)).not.toContain('赵六');
  });

  it('imports the student but not a guardian with a bad or missing phone', () => {
    expect(problemsAt(result, 6)[0]).toMatchObject({
      severity: 'error',
      reason: expect.stringMatching(/^手机号格式不正确/),
    });
    expect(problemsAt(result, 7)[0]).toMatchObject({
      severity: 'error',
      reason: '手机号为空，已导入学生，未导入该家长',
    });
    const sun = result.rows.find((r) => r.studentName === '孙七');
    expect(sun?.guardians).toEqual([]);
  });

  it('ignores blank rows silently', () => {
    expect(problemsAt(result, 8)).toEqual([]);
  });

  it('normalises unknown relations to 其他监护人 with a warning', () => {
    expect(problemsAt(result, 9)).toEqual([
      { line: 9, reason: '家长姓名为空', severity: 'warning' },
      { line: 9, reason: '关系“干爹”无法识别，已记为“其他监护人”', severity: 'warning' },
    ]);
    expect(result.rows.find((r) => r.studentName === '周八')?.guardians[0]).toEqual({
      phone: '13900000008',
      relation: '其他监护人',
      line: 9,
    });
    expect(problemsAt(result, 10)).toEqual([]);
    expect(result.rows.find((r) => r.studentName === '吴九')?.guardians[0]?.relation).toBe('其他监护人');
    expect(problemsAt(result, 11)).toEqual([{ line: 11, reason: '关系为空，已记为“其他监护人”', severity: 'warning' }]);
  });

  it('masks digits when a phone number lands in the relation column', () => {
    const misplaced = parseRoster([HEADER, ['一年级1班', '甲', '', '甲父', '13812345678', '13812345678']]);
    expect(misplaced.problems).toEqual([
      { line: 2, reason: '关系“**********”无法识别，已记为“其他监护人”', severity: 'warning' },
    ]);
  });

  it('never repeats phone numbers in problems', () => {
    for (const problem of result.problems) expect(problem.reason).not.toMatch(/\d{4}/);
  });

  it('lists problems in line order', () => {
    const lines = result.problems.map((p) => p.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

describe('relations', () => {
  it.each([
    ['爸爸', '父亲'],
    ['妈妈', '母亲'],
    ['祖父', '爷爷'],
    ['祖母', '奶奶'],
    ['姥爷', '外公'],
    ['姥姥', '外婆'],
    ['Father', '父亲'],
    [' 母 亲 ', '母亲'],
    ['舅舅', '其他监护人'],
  ])('%s → %s', (raw, relation) => {
    expect(normaliseRelation(raw).relation).toBe(relation);
  });
});

describe('duplicates and siblings', () => {
  it('merges guardians of the same student instead of duplicating the student', () => {
    const result = parseRoster([
      HEADER,
      ['二年级3班', '陈晨', '2023001', '陈父', '父亲', '13700000001'],
      ['二年级3班', '陈晨', '2023001', '陈母', '母亲', '13700000002'],
      ['二年级3班', '陈晨', '2023001', '陈父', '父亲', '137-0000-0001'],
    ]);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.guardians.map((g) => [g.phone, g.relation])).toEqual([
      ['13700000001', '父亲'],
      ['13700000002', '母亲'],
    ]);
    expect(problemsAt(result, 4)).toEqual([
      { line: 4, reason: '与第 2 行重复（同一学生、同一手机号），已合并', severity: 'warning' },
    ]);
  });

  it('gives an empty 学号 to the only same-named student who has one', () => {
    const result = parseRoster([
      HEADER,
      ['二年级3班', '陈晨', '', '陈母', '母亲', '13700000002'],
      ['二年级3班', '陈晨', '2023001', '陈父', '父亲', '13700000001'],
    ]);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ studentNo: '2023001', line: 2 });
    expect(result.rows[0]?.guardians).toHaveLength(2);
  });

  it('keeps same-named students with different 学号 apart and skips ambiguous rows', () => {
    const result = parseRoster([
      HEADER,
      ['二年级3班', '李娜', '01', '李父', '父亲', '13700000001'],
      ['二年级3班', '李娜', '02', '李母', '母亲', '13700000002'],
      ['二年级3班', '李娜', '', '李奶奶', '奶奶', '13700000003'],
      ['二年级4班', '李娜', '', '李外婆', '外婆', '13700000004'],
    ]);
    expect(result.rows.map((r) => [r.className, r.studentNo])).toEqual([
      ['二年级3班', '01'],
      ['二年级3班', '02'],
      ['二年级4班', ''],
    ]);
    expect(problemsAt(result, 4)[0]).toMatchObject({ severity: 'error', reason: expect.stringMatching(/同名学生/) });
  });

  it('links one guardian to siblings', () => {
    const result = parseRoster([
      HEADER,
      ['三年级1班', '刘一', '', '刘妈妈', '母亲', '13600000001'],
      ['一年级2班', '刘二', '', '刘妈妈', '妈妈', '136 0000 0001'],
      ['一年级2班', '刘二', '', '刘爸爸', '爸爸', '13600000002'],
    ]);
    expect(result.rows).toHaveLength(2);
    expect(result.guardians).toEqual([
      {
        phone: '13600000001',
        name: '刘妈妈',
        line: 2,
        students: [
          { key: studentKey('三年级1班', '刘一', ''), relation: '母亲' },
          { key: studentKey('一年级2班', '刘二', ''), relation: '母亲' },
        ],
      },
      {
        phone: '13600000002',
        name: '刘爸爸',
        line: 4,
        students: [{ key: studentKey('一年级2班', '刘二', ''), relation: '父亲' }],
      },
    ]);
    expect(result.classNames).toEqual(['一年级2班', '三年级1班']);
    expect(result.problems).toEqual([]);
  });

  it('keeps the first name when the same phone carries another guardian name', () => {
    const result = parseRoster([
      HEADER,
      ['三年级1班', '刘一', '', '刘妈妈', '母亲', '13600000001'],
      ['一年级2班', '刘二', '', '王芳', '母亲', '13600000001'],
    ]);
    expect(result.guardians).toHaveLength(1);
    expect(result.guardians[0]?.name).toBe('刘妈妈');
    expect(problemsAt(result, 3)[0]?.reason).toBe('该手机号在第 2 行登记的家长姓名不同，已沿用第 2 行的姓名');
  });

  it('warns about two spellings of what looks like one class', () => {
    const result = parseRoster([
      HEADER,
      ['三年级2班', '甲', '', '甲父', '父亲', '13600000001'],
      ['三年级(2)班', '乙', '', '乙父', '父亲', '13600000002'],
      ['三年级(2)班', '丙', '', '丙父', '父亲', '13600000003'],
    ]);
    expect(result.classNames).toEqual(['三年级(2)班', '三年级2班'].sort());
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      line: 3,
      severity: 'warning',
      reason: expect.stringMatching(/写法不同/),
    });
  });

  it('warns when two different students share a 学号 in a class', () => {
    const result = parseRoster([
      HEADER,
      ['三年级2班', '甲', '007', '甲父', '父亲', '13600000001'],
      ['三年级2班', '乙', '007', '乙父', '父亲', '13600000002'],
    ]);
    expect(result.rows).toHaveLength(2);
    expect(problemsAt(result, 3)[0]?.reason).toBe('学号与第 2 行的另一名学生相同，请核对');
  });
});

describe('re-import semantics', () => {
  const rows = [
    HEADER,
    ['三年级１班', ' 张 三 ', 'A1', '张父', '父亲', '13800000001'],
    ['三年级1班', '张三', 'A1', '张母', '母亲', '13800000002'],
    ['三年级2班', '李四', '', '李母', '母亲', '13800000003'],
    ['三年级2班', '李五', '', '李母', '母亲', '13800000003'],
  ];

  it('parses the same file to the same output', () => {
    expect(parseRoster(rows)).toEqual(parseRoster(rows.map((r) => [...r])));
  });

  it('keys students and guardians independently of row order and spelling', () => {
    const first = parseRoster(rows);
    const reordered = parseRoster([HEADER, rows[4]!, rows[3]!, rows[2]!, rows[1]!]);
    const keys = (r: ReturnType<typeof parseRoster>) => r.rows.map((s) => s.key).sort();
    expect(keys(reordered)).toEqual(keys(first));
    expect(reordered.guardians.map((g) => g.phone).sort()).toEqual(first.guardians.map((g) => g.phone).sort());
    expect(first.rows).toHaveLength(3);
    expect(first.rows[0]?.key).toBe(studentKey('三年级1班', '张三', 'A1'));
  });

  it('keeps a student key when only a guardian changes', () => {
    const changed = rows.map((r) => [...r]);
    changed[2]![5] = '13800000009';
    const before = parseRoster(rows);
    const after = parseRoster(changed);
    expect(after.rows.map((r) => r.key)).toEqual(before.rows.map((r) => r.key));
    expect(after.rows[0]?.guardians.map((g) => g.phone)).toEqual(['13800000001', '13800000009']);
  });
});

describe('a 3,000-student roster', () => {
  it('parses every student and guardian', () => {
    const rows: string[][] = [HEADER];
    const grades = ['一', '二', '三', '四', '五', '六'];
    for (let i = 0; i < 3000; i++) {
      const className = `${grades[i % 6]}年级${(Math.floor(i / 6) % 10) + 1}班`;
      const name = `学生${i}`;
      rows.push([className, name, `S${i}`, `${name}父`, '父亲', `139${String(i * 2).padStart(8, '0')}`]);
      rows.push([className, name, `S${i}`, `${name}母`, '母亲', `139${String(i * 2 + 1).padStart(8, '0')}`]);
    }
    const result = parseRoster(rows);
    expect(result.problems).toEqual([]);
    expect(result.rows).toHaveLength(3000);
    expect(result.guardians).toHaveLength(6000);
    expect(result.classNames).toHaveLength(60);
    expect(result.classNames[0]).toBe('一年级1班');
    expect(result.rows.every((r) => r.guardians.length === 2)).toBe(true);
  });
});

describe('workbooks with one class per worksheet', () => {
  const result = parseRosterSheets([
    { name: '说明', rows: [['请每位家长填写一行']] },
    {
      name: '一年级1班',
      rows: [
        HEADER,
        ['一年级1班', '刘一', '', '刘妈妈', '母亲', '13600000001'],
        ['一年级1班', '钱二', '', '钱父', '父亲', 'x'],
      ],
    },
    {
      name: '三年级2班',
      rows: [
        ['三年级2班家长名单'],
        HEADER,
        ['三年级2班', '刘三', '', '刘妈妈', '母亲', '13600000001'],
        ['三年级2班', '刘三', '', '刘妈妈', '母亲', '13600000001'],
      ],
    },
    {
      name: '统计',
      rows: [
        ['班级', '人数'],
        ['一年级1班', 2],
      ],
    },
  ]);

  it('reads every sheet with a header and shares guardians across sheets', () => {
    expect(result.fatal).toBeNull();
    expect(result.sheets).toEqual([
      { name: '一年级1班', headerLine: 1 },
      { name: '三年级2班', headerLine: 2 },
    ]);
    expect(result.rows.map((r) => r.studentName)).toEqual(['刘一', '钱二', '刘三']);
    expect(result.guardians.find((g) => g.phone === '13600000001')?.students).toHaveLength(2);
  });

  it('names the sheet in problems and skips sheets without a complete header', () => {
    expect(result.problems).toEqual([
      { line: 3, sheet: '一年级1班', reason: expect.stringMatching(/^手机号格式不正确/), severity: 'error' },
      { line: 4, sheet: '三年级2班', reason: '与第 3 行重复（同一学生、同一手机号），已合并', severity: 'warning' },
      { line: 0, sheet: '统计', reason: '没有识别到完整的表头，已跳过该工作表', severity: 'warning' },
    ]);
  });

  it('is fatal, naming the closest sheet, when no sheet has the columns', () => {
    const failed = parseRosterSheets([
      { name: 'A', rows: [['x']] },
      { name: 'B', rows: [['班级', '学生姓名', '手机号']] },
    ]);
    expect(failed.fatal).toMatchObject({
      sheet: 'B',
      line: 1,
      reason: expect.stringMatching(/^缺少必需的列：家长姓名、关系。/),
    });
  });
});
