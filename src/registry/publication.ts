// A publication: the name and statement of a declarant who asked for them to be shown. Kept apart
// from the log (which never holds them), linked by the entry's index, and only with consent.

export interface Publication {
  readonly index: number;
  readonly name: string;
  readonly nameKind: 'real' | 'alias';
  readonly statement: string;
  readonly orgs: readonly string[];
  readonly region?: string | undefined;
  /** UTC day of the declaration. */
  readonly day: string;
  readonly language: string;
}

export interface PublicationQuery {
  /** Words to find in the statement or the name. */
  readonly text?: string | undefined;
  readonly org?: string | undefined;
  readonly region?: string | undefined;
  readonly year?: number | undefined;
  /** Only publications with an index below this (pages go from newest to oldest). */
  readonly before?: number | undefined;
  readonly limit: number;
}

/** Whether a publication matches a query; the stores' SQL does the same. */
export function matches(p: Publication, q: PublicationQuery): boolean {
  const text = q.text?.trim().toLowerCase();
  return (
    (!text || p.statement.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)) &&
    (!q.org || p.orgs.includes(q.org)) &&
    (!q.region || p.region === q.region) &&
    (!q.year || p.day.startsWith(`${q.year}-`)) &&
    (q.before === undefined || p.index < q.before)
  );
}
