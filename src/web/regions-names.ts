// Region names for the region codes of docs/log-format.md, in each language of the site. Taiwan,
// Hong Kong and Macau keep their ISO codes in the log, but are named as themselves, never as
// provinces; ZZ is "overseas or other".
import { REGIONS } from '../registry/index.ts';
import type { Locale } from './i18n.ts';

export const REGION_NAMES: Record<string, readonly [en: string, hans: string, hant: string]> = {
  'CN-AH': ['Anhui', '安徽', '安徽'],
  'CN-BJ': ['Beijing', '北京', '北京'],
  'CN-CQ': ['Chongqing', '重庆', '重慶'],
  'CN-FJ': ['Fujian', '福建', '福建'],
  'CN-GD': ['Guangdong', '广东', '廣東'],
  'CN-GS': ['Gansu', '甘肃', '甘肅'],
  'CN-GX': ['Guangxi', '广西', '廣西'],
  'CN-GZ': ['Guizhou', '贵州', '貴州'],
  'CN-HA': ['Henan', '河南', '河南'],
  'CN-HB': ['Hubei', '湖北', '湖北'],
  'CN-HE': ['Hebei', '河北', '河北'],
  'CN-HI': ['Hainan', '海南', '海南'],
  'CN-HK': ['Hong Kong', '香港', '香港'],
  'CN-HL': ['Heilongjiang', '黑龙江', '黑龍江'],
  'CN-HN': ['Hunan', '湖南', '湖南'],
  'CN-JL': ['Jilin', '吉林', '吉林'],
  'CN-JS': ['Jiangsu', '江苏', '江蘇'],
  'CN-JX': ['Jiangxi', '江西', '江西'],
  'CN-LN': ['Liaoning', '辽宁', '遼寧'],
  'CN-MO': ['Macau', '澳门', '澳門'],
  'CN-NM': ['Inner Mongolia', '内蒙古', '內蒙古'],
  'CN-NX': ['Ningxia', '宁夏', '寧夏'],
  'CN-QH': ['Qinghai', '青海', '青海'],
  'CN-SC': ['Sichuan', '四川', '四川'],
  'CN-SD': ['Shandong', '山东', '山東'],
  'CN-SH': ['Shanghai', '上海', '上海'],
  'CN-SN': ['Shaanxi', '陕西', '陝西'],
  'CN-SX': ['Shanxi', '山西', '山西'],
  'CN-TJ': ['Tianjin', '天津', '天津'],
  'CN-TW': ['Taiwan', '台湾', '臺灣'],
  'CN-XJ': ['Xinjiang', '新疆', '新疆'],
  'CN-XZ': ['Tibet', '西藏', '西藏'],
  'CN-YN': ['Yunnan', '云南', '雲南'],
  'CN-ZJ': ['Zhejiang', '浙江', '浙江'],
  ZZ: ['Overseas / other', '海外／其他', '海外／其他'],
};

export function regionName(code: string, locale: Locale): string {
  const names = REGION_NAMES[code];
  if (names === undefined) return code;
  return locale === 'en' ? names[0] : locale === 'zh-Hans' ? names[1] : names[2];
}

// One order per language wherever regions are listed: the mainland's provinces, autonomous regions
// and municipalities by name (pinyin for Simplified Chinese, stroke count for Traditional, as lists
// in Taiwan are ordered, the alphabet for English); then Taiwan, Hong Kong and Macau apart, in the
// order of their group's label; then "overseas or other".
const COLLATION: Record<Locale, string> = {
  en: 'en',
  'zh-Hans': 'zh-Hans-u-co-pinyin',
  'zh-Hant': 'zh-Hant-u-co-stroke',
};
/** Taiwan, Hong Kong and Macau: listed apart from the provinces, never among them. */
export const APART = ['CN-TW', 'CN-HK', 'CN-MO'] as const;
const OTHER = 'ZZ';

export interface RegionGroups {
  readonly mainland: readonly string[];
  readonly apart: readonly string[];
  readonly other: string;
}

const grouped = new Map<Locale, RegionGroups>();

/** The regions in the locale's order, in their groups. */
export function regionGroups(locale: Locale): RegionGroups {
  let groups = grouped.get(locale);
  if (groups === undefined) {
    const collator = new Intl.Collator(COLLATION[locale]);
    const apart: readonly string[] = APART;
    const mainland = REGIONS.map(([c]) => c as string)
      .filter((c) => c !== OTHER && !apart.includes(c))
      .sort((a, b) => collator.compare(regionName(a, locale), regionName(b, locale)));
    groups = { mainland, apart, other: OTHER };
    grouped.set(locale, groups);
  }
  return groups;
}

/** Every region code in the locale's order: the mainland, then Taiwan, Hong Kong, Macau, then ZZ. */
export function regionsByName(locale: Locale): readonly string[] {
  const { mainland, apart, other } = regionGroups(locale);
  return [...mainland, ...apart, other];
}
