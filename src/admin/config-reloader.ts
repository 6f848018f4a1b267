/**
 * Reloads the YAML configuration without a restart (SIGHUP, or an admin's chat command). A bad file keeps the
 * configuration in force and says what is wrong, with the YAML path.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { loadBatonConfig } from "../config/baton-config.ts";
import { ConfigError } from "../config/config-error.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import type { Logger } from "../logger.ts";

export interface ConfigReloaderDeps {
  /** The YAML file Baton started from; undefined when it was given its configuration in code (tests). */
  configPath: string | undefined;
  current: () => BatonConfig;
  apply: (next: BatonConfig) => Promise<void>;
  logger: Logger;
}

export interface ReloadOutcome {
  ok: boolean;
  message: ChatMessage;
}

const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

/** `actor` is the platform-namespaced user asking; omit it for the operator's SIGHUP. */
export function createConfigReloader(deps: ConfigReloaderDeps) {
  return async function reloadConfig(actor?: string): Promise<ReloadOutcome> {
    if (actor && !deps.current().admins.includes(actor)) {
      return { ok: false, message: say("Only Baton admins can reload the configuration (see `admins` in the YAML).") };
    }
    if (!deps.configPath) return { ok: false, message: say("This Baton was not started from a configuration file.") };
    try {
      const next = loadBatonConfig(deps.configPath);
      await deps.apply(next);
      deps.logger.info({ actor: actor ?? "SIGHUP", file: deps.configPath }, "configuration reloaded");
      const reps = next.teams.reduce((sum, team) => sum + team.reps.length, 0);
      return {
        ok: true,
        message: say(
          `Configuration reloaded: ${next.teams.length} teams, ${reps} reps, ${next.routing.rules.length} routing rules.`,
        ),
      };
    } catch (error) {
      const reason = error instanceof ConfigError ? error.message : `could not apply it: ${(error as Error).message}`;
      deps.logger.error({ actor: actor ?? "SIGHUP", reason }, "configuration not reloaded; the previous one stays");
      return { ok: false, message: say(`Configuration not reloaded, the previous one stays in force. ${reason}`) };
    }
  };
}
