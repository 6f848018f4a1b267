/**
 * `app_uninstalled` / `tokens_revoked`: nothing posts any more until the app is reinstalled and the new token set.
 * Logged loudly, because from here on every outbox delivery to Slack will fail.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackListenerDeps } from "../listener-deps.ts";

export function appRemoved(deps: Pick<SlackListenerDeps, "logger">) {
  return async ({
    event,
    body,
  }: SlackEventMiddlewareArgs<"app_uninstalled" | "tokens_revoked"> & AllMiddlewareArgs) => {
    deps.logger.error(
      { event: event.type, team: (body as { team_id?: string }).team_id },
      "Baton's Slack app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN",
    );
  };
}
