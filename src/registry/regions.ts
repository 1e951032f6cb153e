// Regions of a declaration: the province-level divisions of ISO 3166-2:CN (provinces, autonomous
// regions, municipalities, and Taiwan, Hong Kong and Macau under their ISO codes), then ZZ for
// "overseas or other". The position in this list (from 1) is the region byte of a log entry: never
// reorder it, only append. 0 means "not given". Names shown to people are in src/web.
export const REGIONS = [
  ['CN-AH', 34], // Anhui
  ['CN-BJ', 11], // Beijing
  ['CN-CQ', 50], // Chongqing
  ['CN-FJ', 35], // Fujian
  ['CN-GD', 44], // Guangdong
  ['CN-GS', 62], // Gansu
  ['CN-GX', 45], // Guangxi
  ['CN-GZ', 52], // Guizhou
  ['CN-HA', 41], // Henan
  ['CN-HB', 42], // Hubei
  ['CN-HE', 13], // Hebei
  ['CN-HI', 46], // Hainan
  ['CN-HK', 91], // Hong Kong
  ['CN-HL', 23], // Heilongjiang
  ['CN-HN', 43], // Hunan
  ['CN-JL', 22], // Jilin
  ['CN-JS', 32], // Jiangsu
  ['CN-JX', 36], // Jiangxi
  ['CN-LN', 21], // Liaoning
  ['CN-MO', 92], // Macao
  ['CN-NM', 15], // Inner Mongolia
  ['CN-NX', 64], // Ningxia
  ['CN-QH', 63], // Qinghai
  ['CN-SC', 51], // Sichuan
  ['CN-SD', 37], // Shandong
  ['CN-SH', 31], // Shanghai
  ['CN-SN', 61], // Shaanxi
  ['CN-SX', 14], // Shanxi
  ['CN-TJ', 12], // Tianjin
  ['CN-TW', 71], // Taiwan
  ['CN-XJ', 65], // Xinjiang
  ['CN-XZ', 54], // Tibet
  ['CN-YN', 53], // Yunnan
  ['CN-ZJ', 33], // Zhejiang
  ['ZZ', 0], // overseas or other (a user-assigned ISO 3166 code; no numeric form)
] as const;

export type Region = (typeof REGIONS)[number][0];

const byCode = new Map<string, Region>();
for (const [code, numeric] of REGIONS) {
  byCode.set(code, code);
  // The older numeric codes, found in historical records.
  if (numeric !== 0) byCode.set(`CN-${numeric}`, code);
}

/** The region for an ISO 3166-2:CN code (letters, or the older numeric form), or undefined. */
export function parseRegion(code: string): Region | undefined {
  return byCode.get(code.toUpperCase());
}

export function regionByte(region: Region | undefined): number {
  return region === undefined ? 0 : REGIONS.findIndex(([c]) => c === region) + 1;
}

export function regionFromByte(b: number): Region | undefined {
  return b === 0 ? undefined : REGIONS[b - 1]?.[0];
}
