// The fields of the staff forms as data. Entry numbers are attacker-controlled text: parsed
// strictly, so that '' is not 0, '0x49' is not 73 and ' 7' or '1e3' are refused, not guessed.
import { VOID_REASONS, type VoidReason } from '../../registry/index.ts';

/** An entry number: decimal digits only, no sign, no leading zero, no space, a safe integer. */
export function parseIndex(text: string | null | undefined): number | undefined {
  if (text == null || !/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Entry numbers separated by spaces or commas, without repeats; undefined if any is malformed. */
export function parseIndexList(text: string | null | undefined): number[] | undefined {
  const parts = (text ?? '').split(/[\s,，、]+/).filter((p) => p !== '');
  const indexes = parts.map(parseIndex);
  if (parts.length === 0 || indexes.some((i) => i === undefined)) return undefined;
  return [...new Set(indexes as number[])];
}

export function parseVoidReason(text: string | null | undefined): VoidReason | undefined {
  return VOID_REASONS.find((r) => r === text);
}
