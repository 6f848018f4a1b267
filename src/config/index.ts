export { type BatonConfig, loadBatonConfig, parseBatonConfig, resolveConfigPath } from "./baton-config.ts";
export { ConfigError } from "./config-error.ts";
export { parseEnv, type RuntimeConfig } from "./env.ts";
