// The common NDJSON record read straight from its bytes: an object of `day`, `orgs` (an array)
// and perhaps `region`, as any tool writes them. Parsing that with JSON.parse, then validating the
// object, was most of an import's time per record; here a line is read once, with no string or
// object made, and days and regions are looked up in caches by their bytes. Anything else (other
// fields, escapes, odd whitespace, duplicate keys, a value out of range) is left to the general
// path (JSON.parse and parseImportRecord), which also gives every reject its reason: this one only
// ever accepts what that one accepts, with the same values.
import { dayNumber, parseImportRecord, parseRegion, regionByte } from '../registry/index.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const DASH = 0x2d;

/** A record's fields packed in one number: day (16 bits), organisations (3), region byte (6). */
export const packFields = (day: number, orgBits: number, region: number): number =>
  day | (orgBits << 16) | (region << 19);
export const fieldDay = (f: number): number => f & 0xffff;
export const fieldOrgs = (f: number): number => (f >> 16) & 7;
export const fieldRegion = (f: number): number => f >> 19;

export class FastRecords {
  readonly #today: string;
  /** YYYYMMDD → the day's number if it is a valid day to import, else -1. */
  readonly #days = new Map<number, number>();
  /** A region's code bytes as a number → its region byte, or -1 if it is not a region. */
  readonly #regions = new Map<number, number>();

  constructor(today: string) {
    this.#today = today;
  }

  /**
   * The packed fields of the record in `b[start…end)` (one line, without its line break), or -1
   * when the general path is to read it.
   */
  parse(b: Uint8Array, start: number, end: number): number {
    let i = spaces(b, start, end);
    if (i >= end || b[i] !== OPEN_BRACE) return -1;
    i = spaces(b, i + 1, end);
    let day = -1;
    let orgs = -1;
    let region = -1;
    for (;;) {
      if (i >= end || b[i] !== QUOTE) return -1;
      const k = i + 1;
      let q = k;
      while (q < end && b[q] !== QUOTE) q++;
      const len = q - k;
      i = spaces(b, q + 1, end);
      if (i >= end || b[i] !== COLON) return -1;
      i = spaces(b, i + 1, end);
      if (len === 3 && b[k] === 0x64 && b[k + 1] === 0x61 && b[k + 2] === 0x79) {
        // "day": "YYYY-MM-DD"
        if (day !== -1 || i + 12 > end || b[i] !== QUOTE || b[i + 11] !== QUOTE) return -1;
        day = this.#day(b, i + 1);
        if (day < 0) return -1;
        i += 12;
      } else if (
        len === 4 &&
        b[k] === 0x6f &&
        b[k + 1] === 0x72 &&
        b[k + 2] === 0x67 &&
        b[k + 3] === 0x73
      ) {
        // "orgs": ["party", …]
        if (orgs !== -1 || i >= end || b[i] !== OPEN_BRACKET) return -1;
        i = spaces(b, i + 1, end);
        orgs = 0;
        for (;;) {
          if (i >= end || b[i] !== QUOTE) return -1;
          const s = i + 1;
          let e = s;
          while (e < end && b[e] !== QUOTE) e++;
          const bit = orgBit(b, s, e - s);
          if (bit === 0 || e >= end) return -1;
          orgs |= bit;
          i = spaces(b, e + 1, end);
          if (i < end && b[i] === COMMA) i = spaces(b, i + 1, end);
          else if (i < end && b[i] === CLOSE_BRACKET) {
            i++;
            break;
          } else return -1;
        }
      } else if (
        len === 6 &&
        b[k] === 0x72 &&
        b[k + 1] === 0x65 &&
        b[k + 2] === 0x67 &&
        b[k + 3] === 0x69 &&
        b[k + 4] === 0x6f &&
        b[k + 5] === 0x6e
      ) {
        // "region": "CN-GD" or null
        if (region !== -1 || i >= end) return -1;
        if (b[i] === QUOTE) {
          const s = i + 1;
          let e = s;
          let key = 0;
          for (; e < end && b[e] !== QUOTE; e++) {
            const c = b[e] as number;
            if (c < SPACE || c >= 0x80 || c === BACKSLASH || e - s >= 6) return -1;
            key = key * 128 + c;
          }
          if (e >= end) return -1;
          region = e === s ? 0 : this.#region(key, b, s, e);
          if (region < 0) return -1;
          i = e + 1;
        } else if (
          i + 4 <= end &&
          b[i] === 0x6e &&
          b[i + 1] === 0x75 &&
          b[i + 2] === 0x6c &&
          b[i + 3] === 0x6c
        ) {
          region = 0;
          i += 4;
        } else return -1;
      } else return -1;
      i = spaces(b, i, end);
      if (i < end && b[i] === COMMA) i = spaces(b, i + 1, end);
      else if (i < end && b[i] === CLOSE_BRACE) {
        i++;
        break;
      } else return -1;
    }
    if (spaces(b, i, end) !== end || day < 0 || orgs <= 0) return -1;
    return packFields(day, orgs, Math.max(region, 0));
  }

  #day(b: Uint8Array, at: number): number {
    let key = 0;
    for (let j = 0; j < 10; j++) {
      const c = b[at + j] as number;
      if (j === 4 || j === 7) {
        if (c !== DASH) return -1;
      } else {
        const d = c - ZERO;
        if (d < 0 || d > 9) return -1;
        key = key * 10 + d;
      }
    }
    let n = this.#days.get(key);
    if (n === undefined) {
      const day = String.fromCharCode(...b.subarray(at, at + 10));
      try {
        parseImportRecord({ day, orgs: ['party'] }, this.#today);
        n = dayNumber(day);
      } catch {
        n = -1;
      }
      this.#days.set(key, n);
    }
    return n;
  }

  #region(key: number, b: Uint8Array, s: number, e: number): number {
    let r = this.#regions.get(key);
    if (r === undefined) {
      const region = parseRegion(String.fromCharCode(...b.subarray(s, e)));
      r = region === undefined ? -1 : regionByte(region);
      this.#regions.set(key, r);
    }
    return r;
  }
}

function spaces(b: Uint8Array, i: number, end: number): number {
  while (i < end && (b[i] === SPACE || b[i] === TAB)) i++;
  return i;
}

/** The bit of the organisation named by `b[s…s+len)` ("party", "league", "pioneers"), or 0. */
function orgBit(b: Uint8Array, s: number, len: number): number {
  if (len === 5)
    return b[s] === 0x70 &&
      b[s + 1] === 0x61 &&
      b[s + 2] === 0x72 &&
      b[s + 3] === 0x74 &&
      b[s + 4] === 0x79
      ? 1
      : 0;
  if (len === 6)
    return b[s] === 0x6c &&
      b[s + 1] === 0x65 &&
      b[s + 2] === 0x61 &&
      b[s + 3] === 0x67 &&
      b[s + 4] === 0x75 &&
      b[s + 5] === 0x65
      ? 2
      : 0;
  if (len === 8)
    return b[s] === 0x70 &&
      b[s + 1] === 0x69 &&
      b[s + 2] === 0x6f &&
      b[s + 3] === 0x6e &&
      b[s + 4] === 0x65 &&
      b[s + 5] === 0x65 &&
      b[s + 6] === 0x72 &&
      b[s + 7] === 0x73
      ? 4
      : 0;
  return 0;
}
