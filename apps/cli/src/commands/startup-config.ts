// Loading the configuration as the long-running commands (`serve`, `worker`) do at start.
import { ConfigError, describeConfig, loadConfig, type BatonConfig } from '@lib/config';
import { EXIT_CONFIG } from './exit-codes';


/**
 * Loads and validates the configuration. A bad one is written to stderr, naming every bad
 * variable, and answered with EX_CONFIG; a good one is echoed (secrets masked by
 * describeConfig) after its warnings, so an operator sees what the process runs with.
 */
export function loadStartupConfig(command: string): BatonConfig | number {
  let config: BatonConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`baton ${command}: invalid configuration\n${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  for (const warning of config.warnings) process.stderr.write(`\n*** WARNING: ${warning}\n\n`);
  for (const [key, value] of Object.entries(describeConfig(config))) process.stderr.write(`  ${key}: ${value}\n`);
  return config;
}
