// What a name or a statement may contain. Both are attacker-controlled text that ends up in the
// log's commitments, on moderators' screens and, with consent, on public pages: characters that
// cannot be seen (format, control, private-use, tag characters, noncharacters, Hangul fillers),
// that reorder what is shown (bidirectional controls), or that stack without end (combining marks)
// would let a name be empty to the eye, look like another, or spill over the page.

/** The most combining marks one character may carry (Vietnamese needs two; Zalgo needs dozens). */
export const MAX_MARKS = 4;

export type TextProblem = 'characters' | 'marks' | 'letter';

// Control (Cc), format (Cf: zero-width, bidi, tags, soft hyphen, BOM), private-use (Co), line and
// paragraph separators, noncharacters, the replacement character (what invalid UTF-8 becomes) and
// the Hangul fillers, which are letters by category but show as nothing.
const FORBIDDEN =
  /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}\uFFFD\u115F\u1160\u3164\uFFA0]/u;
// A statement may keep line breaks and tabs, and the zero-width joiner inside an emoji sequence.
const STATEMENT_ALLOWED =
  /[\n\r\t]|(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
const TOO_MANY_MARKS = new RegExp(`\\p{M}{${MAX_MARKS + 1}}`, 'u');
// A letter of any script, or an ideograph (U+3007 〇 is a number by category), that is visible.
const VISIBLE_LETTER = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{Ideographic}]/u;

/**
 * Why `s` (already NFC and well-formed) is not an acceptable name or statement, or undefined. A
 * name needs at least one letter or ideograph; a statement may be digits or punctuation only.
 */
export function textProblem(s: string, kind: 'name' | 'statement'): TextProblem | undefined {
  const checked = kind === 'statement' ? s.replace(STATEMENT_ALLOWED, '') : s;
  if (FORBIDDEN.test(checked)) return 'characters';
  if (TOO_MANY_MARKS.test(s)) return 'marks';
  if (kind === 'name' && !VISIBLE_LETTER.test(s)) return 'letter';
  return undefined;
}
