// What a volunteer may write in the CSV upload, read into the registry's own values. A volunteer
// writes as they speak: column names and values in English (the API's words) or in Chinese,
// Simplified or Traditional (姓名, 真名, 党、团, 广东省, 是). Every cell is attacker-controlled
// text: it is compared with fixed word lists, never used as a key or a pattern.
import { ORGS, type Org, parseRegion, REGIONS, type Region } from '../../registry/index.ts';
import { LOCALES } from '../i18n.ts';
import { regionName } from '../regions-names.ts';

export const CSV_COLUMNS = ['name', 'nameKind', 'orgs', 'region', 'statement', 'publish'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
/** The columns a file must have: the rest may be left out (see docs/operations.md). */
export const REQUIRED_COLUMNS: readonly CsvColumn[] = ['name', 'orgs'];

/** A word as compared: full-width forms made plain (NFKC), lower case, no spaces or underscores. */
const plain = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_]+/g, '');

const lookup = <T>(table: Record<string, readonly string[]>) => {
  const m = new Map<string, T>();
  for (const [value, words] of Object.entries(table))
    for (const w of [value, ...words]) m.set(plain(w), value as T);
  return m;
};

/** Column names: the API's, and those a Chinese spreadsheet would have. */
const HEADERS = lookup<CsvColumn>({
  name: ['姓名', '名字'],
  nameKind: [
    'name kind',
    'name-kind',
    'kind',
    '真名/化名',
    '真名或化名',
    '真名还是化名',
    '真名還是化名',
    '姓名类型',
    '姓名類型',
    '名字类型',
    '名字類型',
    '类型',
    '類型',
  ],
  orgs: [
    'organisations',
    'organizations',
    '退出组织',
    '退出組織',
    '退出的组织',
    '退出的組織',
    '组织',
    '組織',
    '退出',
  ],
  region: ['province', '地区', '地區', '省份', '所在地区', '所在地區'],
  statement: ['声明', '聲明', '声明内容', '聲明內容'],
  publish: ['公开', '公開', '同意公开', '同意公開', '是否公开', '是否公開'],
});

export function columnOf(header: string): CsvColumn | undefined {
  return HEADERS.get(plain(header));
}

const NAME_KINDS = lookup<'real' | 'alias'>({
  real: ['真名', '真实姓名', '真實姓名', '实名', '實名', '本名', '真'],
  alias: ['化名', '假名', '化'],
});

/** real or alias; empty is an alias (the safer guess); undefined when it is neither. */
export function nameKindOf(cell: string): 'real' | 'alias' | undefined {
  return cell === '' ? 'alias' : NAME_KINDS.get(plain(cell));
}

const ORG_WORDS = lookup<Org>({
  party: ['ccp', 'cpc', '党', '黨', '中共', '共产党', '共產黨', '中国共产党', '中國共產黨'],
  league: [
    'youth league',
    'cyl',
    '团',
    '團',
    '共青团',
    '共青團',
    '青年团',
    '青年團',
    '中国共产主义青年团',
    '中國共產主義青年團',
  ],
  pioneers: [
    'pioneer',
    'young pioneers',
    '队',
    '隊',
    '少先队',
    '少先隊',
    '中国少年先锋队',
    '中國少年先鋒隊',
  ],
});
/** The one-character names, which people also run together: 党团队, 团队. */
const ORG_CHARS = new Map<string, Org>([
  ['党', 'party'],
  ['黨', 'party'],
  ['团', 'league'],
  ['團', 'league'],
  ['队', 'pioneers'],
  ['隊', 'pioneers'],
]);

/**
 * The organisations of a cell ("党、团", "party;league", "中国共产党 少先队", "退党退团"), in the
 * registry's order, or the first word that names none.
 */
export function orgsOf(cell: string): { orgs: Org[] } | { unknown: string } {
  const found = new Set<Org>();
  // 退党退团 is "leaves the party, leaves the league": the verb separates, like a comma.
  for (const name of cell.split(/[;；|,，、/／\s]+|和|及|与|與|退出|退/)) {
    if (name === '') continue;
    const org = ORG_WORDS.get(plain(name));
    if (org !== undefined) found.add(org);
    else if ([...name].every((c) => ORG_CHARS.has(c)))
      for (const c of name) found.add(ORG_CHARS.get(c) as Org);
    else return { unknown: name };
  }
  return { orgs: ORGS.filter((o) => found.has(o)) };
}

const REGION_WORDS = new Map<string, Region>();
for (const [code] of REGIONS)
  for (const locale of LOCALES) REGION_WORDS.set(plain(regionName(code, locale)), code);
for (const [word, code] of [
  ['台湾', 'CN-TW'],
  ['台灣', 'CN-TW'],
  ['臺灣', 'CN-TW'],
  ['澳门', 'CN-MO'],
  ['澳門', 'CN-MO'],
  ['macao', 'CN-MO'],
  ['内蒙古', 'CN-NM'],
  ['內蒙古', 'CN-NM'],
  ['海外', 'ZZ'],
  ['国外', 'ZZ'],
  ['國外', 'ZZ'],
  ['其他', 'ZZ'],
  ['其它', 'ZZ'],
  ['overseas', 'ZZ'],
  ['other', 'ZZ'],
] as const)
  REGION_WORDS.set(plain(word), code);

/**
 * The region of a cell: a code (CN-GD, CN-44) or a name as the site's region lists show it, in
 * any of its languages, with or without 省, 市, 自治区 or 特别行政区 (广西壮族自治区 is 广西).
 * Empty is no region; undefined when it names none.
 */
export function regionOf(cell: string): Region | null | undefined {
  if (cell === '') return null;
  const code = parseRegion(cell.trim());
  if (code !== undefined) return code;
  const word = plain(cell);
  const bare = word
    .replace(/(省|市|自治区|自治區|特别行政区|特別行政區|province)$/, '')
    .replace(/(壮族|壯族|回族|维吾尔|維吾爾)$/, '');
  return REGION_WORDS.get(word) ?? REGION_WORDS.get(bare);
}

const YES_NO = lookup<'yes' | 'no'>({
  yes: [
    'y',
    'true',
    '1',
    'on',
    '是',
    '同意',
    '同意公开',
    '同意公開',
    '公开',
    '公開',
    '可以',
    '愿意',
    '願意',
  ],
  no: [
    'n',
    'false',
    '0',
    'off',
    '否',
    '不',
    '不同意',
    '不公开',
    '不公開',
    '不可以',
    '不愿意',
    '不願意',
  ],
});

/** Whether the person agreed to publication; empty is no; undefined when it says neither. */
export function publishOf(cell: string): boolean | undefined {
  if (cell === '') return false;
  const v = YES_NO.get(plain(cell));
  return v === undefined ? undefined : v === 'yes';
}
