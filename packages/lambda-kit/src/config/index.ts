export {
  AwsRegionName,
  ConfigError,
  DynamoTableName,
  type Env,
  EnvReader,
  EventBusName,
  type IntegerOptions,
  readConfig,
  type UrlOptions,
  type ValueRule,
} from './env.js';
