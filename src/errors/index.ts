export {
  ClosedError,
  type ErrorCode,
  type ErrorOptions,
  OUTCOMES,
  type Outcome,
  outcomeOf,
  publicMessage,
  TuidangError,
} from './errors.ts';
