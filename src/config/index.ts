// The public surface of src/config: the settings every entry point reads (`tuidang serve`, the
// CLI's admin, import and backup commands, tests), checked once with messages that say what to fix.
export {
  type Config,
  ConfigError,
  loadSignerKey,
  type Operator,
  readConfig,
} from './config.ts';
export {
  checkLogOrigin,
  checkpointOrigin,
  LOCAL_ORIGIN,
  type OriginSource,
  originOfUrl,
} from './origin.ts';
