import { normaliseText } from './text.js';

export const RELATIONS = ['父亲', '母亲', '爷爷', '奶奶', '外公', '外婆', '其他监护人'] as const;
export type Relation = (typeof RELATIONS)[number];

const SYNONYMS: Record<string, Relation> = {
  父亲: '父亲',
  爸爸: '父亲',
  爸: '父亲',
  父: '父亲',
  父子: '父亲',
  父女: '父亲',
  继父: '父亲',
  father: '父亲',
  dad: '父亲',
  母亲: '母亲',
  妈妈: '母亲',
  妈: '母亲',
  母: '母亲',
  母子: '母亲',
  母女: '母亲',
  继母: '母亲',
  mother: '母亲',
  mom: '母亲',
  爷爷: '爷爷',
  祖父: '爷爷',
  奶奶: '奶奶',
  祖母: '奶奶',
  外公: '外公',
  外祖父: '外公',
  姥爷: '外公',
  外婆: '外婆',
  外祖母: '外婆',
  姥姥: '外婆',
};

/** Relatives and carers a roster may name who are recorded as 其他监护人 without a warning. */
const KNOWN_OTHERS = new Set([
  '其他监护人',
  '其他',
  '监护人',
  '法定监护人',
  '叔叔',
  '伯伯',
  '伯父',
  '婶婶',
  '伯母',
  '姑姑',
  '姑父',
  '舅舅',
  '舅妈',
  '姨妈',
  '阿姨',
  '姨父',
  '哥哥',
  '姐姐',
  '兄',
  '姐',
  '亲属',
]);

export interface RelationResult {
  relation: Relation;
  /** False when the text was empty or not understood and 其他监护人 was assumed. */
  recognised: boolean;
}

export function normaliseRelation(raw: string): RelationResult {
  const value = normaliseText(raw).replace(/\s+/g, '').toLowerCase();
  const direct = SYNONYMS[value];
  if (direct) return { relation: direct, recognised: true };
  return { relation: '其他监护人', recognised: KNOWN_OTHERS.has(value) };
}
