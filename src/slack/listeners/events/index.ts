/** Events API subscriptions (see manifests/slack/manifest.yml: only the app's own lifecycle). */
import type { App } from "@slack/bolt";
import type { SlackListenerDeps } from "../listener-deps.ts";
import { appRemoved } from "./app-removed.ts";

export function register(app: App, deps: SlackListenerDeps): void {
  app.event("app_uninstalled", appRemoved(deps));
  app.event("tokens_revoked", appRemoved(deps));
}
