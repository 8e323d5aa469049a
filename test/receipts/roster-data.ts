/** Synthetic rosters for the import tests and the benchmark. */

const GRADES = ['一', '二', '三', '四', '五', '六'];

export const ROSTER_HEADER = ['班级', '学生姓名', '学号', '家长姓名', '关系', '手机号'];

/**
 * A school of `students` pupils in 60 classes, a father and a mother each; every tenth pupil is the younger
 * sibling of the one before and shares the mother. Phones are spelled in the ways schools write them.
 */
export function syntheticRoster(students: number): string[][] {
  const rows = [ROSTER_HEADER];
  for (let i = 0; i < students; i++) {
    const className = `${GRADES[i % 6]}年级${(Math.floor(i / 6) % 10) + 1}班`;
    const name = `学生${i}`;
    const mother = i % 10 === 1 ? i - 1 : i;
    rows.push([
      className,
      name,
      `2024${String(i).padStart(4, '0')}`,
      `${name}父`,
      '父亲',
      `139 ${String(i).padStart(4, '0')} 0000`,
    ]);
    rows.push([className, name, '', `家长${mother}`, '妈妈', `+86 138${String(mother).padStart(8, '0')}`]);
  }
  return rows;
}

/** Guardians in syntheticRoster(n): every father, and the mothers less the shared ones. */
export function syntheticGuardianCount(students: number): number {
  let shared = 0;
  for (let i = 0; i < students; i++) if (i % 10 === 1) shared++;
  return students * 2 - shared;
}
