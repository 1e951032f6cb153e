// PostgreSQL for tests: a real server (127.0.0.1:5432, database `test`, or DATABASE_URL), and a
// fresh schema for each use, dropped at the end of the run.
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

export const postgresUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

export function freshSchema(): string {
  const schema = `tuidang_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

after(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});
