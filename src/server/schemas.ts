// JSON Schemas of the API: they document it (the OpenAPI document at /api/openapi.json is made
// from them) and make responses fast to serialise. Requests are validated by src/registry, whose
// messages name the field and say what is wrong in plain words, so these schemas do not validate.
import {
  CHANNELS,
  LANGUAGES,
  MAX_DECLARANTS,
  MAX_NAME,
  MAX_STATEMENT,
  ORGS,
  REGIONS,
  VOID_REASONS,
} from '../registry/index.ts';

const base64 = { type: 'string', contentEncoding: 'base64' } as const;

export const problem = {
  $id: 'problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What was wrong, in words a person can act on' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
} as const;

const problemRef = { $ref: 'problem#' } as const;

export const submission = {
  type: 'object',
  additionalProperties: false,
  required: ['language', 'declarants'],
  properties: {
    language: {
      type: 'string',
      enum: LANGUAGES,
      description: 'The language of the pages and messages the declarant saw',
    },
    declarants: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_DECLARANTS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'nameKind', 'orgs'],
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_NAME,
            description: 'Real name or alias; never published without consent',
          },
          nameKind: { type: 'string', enum: ['real', 'alias'] },
          orgs: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'string', enum: ORGS },
          },
          region: {
            type: 'string',
            enum: REGIONS.map(([c]) => c),
            description: 'ISO 3166-2:CN province-level division',
          },
          statement: { type: 'string', maxLength: MAX_STATEMENT },
          publish: {
            type: 'boolean',
            default: false,
            description: 'May name and statement be shown publicly (after moderation)',
          },
        },
      },
    },
  },
} as const;

export const receipt = {
  type: 'object',
  required: ['index', 'entry', 'salt', 'treeSize', 'inclusionProof', 'checkpoint'],
  properties: {
    index: { type: 'integer', description: 'Position of the entry in the log' },
    entry: { ...base64, description: 'The log entry (docs/log-format.md)' },
    salt: { ...base64, description: "The commitment's salt: keep it; the registry does not" },
    treeSize: { type: 'integer' },
    inclusionProof: { type: 'array', items: base64 },
    checkpoint: {
      type: 'string',
      description: 'The signed checkpoint (C2SP signed note) of treeSize',
    },
  },
} as const;

export const challenge = {
  summary: 'A proof-of-work challenge (ALTCHA, scrypt) to solve before declaring',
  description:
    'Find the counter whose scrypt key (N = parameters.cost, r = parameters.memoryCost, p = parameters.parallelism, salt and nonce as ALTCHA v2 defines them) starts with parameters.keyPrefix, e.g. with solveChallenge of altcha-lib and altcha-lib/algorithms/scrypt. The work grows with the number of declarants the challenge is for; a solution is accepted for a submission of at most that many, once, within 10 minutes. A client may ask for 20 challenges a minute (429 beyond), and 503 with Retry-After means the server is making many at once.',
  querystring: {
    type: 'object',
    properties: {
      declarants: { type: 'integer', minimum: 1, maximum: MAX_DECLARANTS, default: 1 },
    },
  },
} as const;

export const declare = {
  summary: 'Declare: one or more declarants (a family may declare together)',
  headers: {
    type: 'object',
    properties: {
      'idempotency-key': {
        type: 'string',
        description:
          'A random key of at least 128 bits (32 random hex digits, 22 random base64url characters or a random UUID): retry with the same key to get the same receipts for 24 hours',
      },
      altcha: {
        type: 'string',
        description:
          'A solved proof of work from GET /api/v1/challenge?declarants=N (N at least the declarants sent), base64 of {"challenge","solution"} (unless the registry runs with TUIDANG_POW=off)',
      },
    },
  },
  body: submission,
  response: {
    201: {
      type: 'object',
      required: ['receipts'],
      properties: { receipts: { type: 'array', items: receipt } },
    },
    400: problemRef,
    403: problemRef,
    409: problemRef,
    413: problemRef,
    415: problemRef,
    429: problemRef,
    503: problemRef,
  },
} as const;

/** Counts under fixed keys, every key present (zero included). */
const fixedCounts = (keys: readonly string[], description: string) =>
  ({
    type: 'object',
    description,
    required: keys,
    additionalProperties: false,
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
  }) as const;

const tally = {
  type: 'object',
  description:
    'Declarations of one part (docs/statistics.md), voided ones subtracted. Organisations and channels always list every key; days and regions list only keys with a count above zero.',
  required: ['declarants', 'orgs', 'channels', 'days', 'regions'],
  additionalProperties: false,
  properties: {
    declarants: { type: 'integer', minimum: 0, description: 'Declarants (each entry once)' },
    orgs: fixedCounts(
      ORGS,
      'Declarants per organisation left: one who left several counts once in each',
    ),
    channels: fixedCounts(
      CHANNELS,
      'Declarants per channel: web, volunteer, phone, centre (service centre), import (historical records; always 0 under registered, and equal to declarants under imported)',
    ),
    days: {
      type: 'object',
      description:
        'Declarants per UTC day of the declaration (the day byte of its entry), as YYYY-MM-DD; days with none are left out',
      propertyNames: { pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
      additionalProperties: { type: 'integer', minimum: 1 },
    },
    regions: {
      type: 'object',
      description:
        'Declarants per region (ISO 3166-2:CN code, ZZ overseas or other, none where no region was given); regions with none are left out',
      additionalProperties: false,
      properties: Object.fromEntries(
        [...REGIONS.map(([c]) => c), 'none'].map((k) => [k, { type: 'integer', minimum: 1 }]),
      ),
    },
  },
} as const;

export const stats = {
  summary: 'Totals, recomputable by anyone from the log',
  description:
    'The totals of the checkpoint given in the same answer: a verifier verifies that checkpoint, and checks every figure here against its recount (docs/statistics.md).',
  response: {
    200: {
      type: 'object',
      required: ['treeSize', 'total', 'totals', 'checkpoint'],
      additionalProperties: false,
      properties: {
        treeSize: {
          type: 'integer',
          minimum: 0,
          description: 'Entries in the log (declarations and voids): the tree size of checkpoint',
        },
        total: {
          type: 'integer',
          minimum: 0,
          description:
            'The headline: totals.registered.declarants + totals.imported.declarants (voided excluded)',
        },
        totals: {
          type: 'object',
          required: ['entries', 'registered', 'imported', 'voided'],
          additionalProperties: false,
          properties: {
            entries: {
              type: 'integer',
              minimum: 0,
              description: 'Entries counted, voids included: equal to treeSize',
            },
            registered: {
              ...tally,
              description: `Declarations made in this registry (every channel but import). ${tally.description}`,
            },
            imported: {
              ...tally,
              description: `Historical records imported (channel import). ${tally.description}`,
            },
            voided: {
              type: 'object',
              description:
                "Declarations voided, per the void's reason (request: the declarant's own request), registered and imported together; reasons with none are left out",
              additionalProperties: false,
              properties: Object.fromEntries(
                VOID_REASONS.map((r) => [r, { type: 'integer', minimum: 1 }]),
              ),
            },
          },
        },
        checkpoint: {
          type: ['string', 'null'],
          description:
            'The signed checkpoint (C2SP signed note) these totals were computed at; null only while the log is empty',
        },
      },
    },
    304: { description: 'Unchanged since the ETag sent in If-None-Match', type: 'null' },
  },
} as const;

export const inclusion = {
  summary: 'Inclusion proof of an entry in a tree size (RFC 9162 §2.1.3)',
  querystring: {
    type: 'object',
    properties: { index: { type: 'integer' }, treeSize: { type: 'integer' } },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        index: { type: 'integer' },
        treeSize: { type: 'integer' },
        inclusionProof: { type: 'array', items: base64 },
      },
    },
    400: problemRef,
  },
} as const;

export const consistency = {
  summary: 'Consistency proof between two tree sizes (RFC 9162 §2.1.4)',
  querystring: {
    type: 'object',
    properties: { from: { type: 'integer' }, to: { type: 'integer' } },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        from: { type: 'integer' },
        to: { type: 'integer' },
        consistencyProof: { type: 'array', items: base64 },
      },
    },
    400: problemRef,
  },
} as const;
