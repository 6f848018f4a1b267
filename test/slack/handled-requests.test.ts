/**
 * The guard in front of Bolt acknowledges, unhandled, every request not in HANDLED_SLACK_REQUESTS: a listener
 * registered without being listed there would never be called. This keeps the two in step.
 */
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { HANDLED_SLACK_REQUESTS, registerListeners } from "../../src/slack/listeners/index.ts";
import type { SlackListenerDeps } from "../../src/slack/listeners/listener-deps.ts";

describe("HANDLED_SLACK_REQUESTS", () => {
  it("lists every action, view, shortcut, command and event a listener is registered for", () => {
    const registered = {
      actions: [] as string[],
      views: [] as string[],
      shortcuts: [] as string[],
      commands: [] as string[],
      events: [] as string[],
    };
    const idOf = (constraint: unknown, key: string) =>
      typeof constraint === "string" ? constraint : String((constraint as Record<string, unknown>)[key]);
    const app = {
      action: (constraint: unknown) => registered.actions.push(idOf(constraint, "action_id")),
      view: (constraint: unknown) => registered.views.push(idOf(constraint, "callback_id")),
      command: (name: string) => registered.commands.push(name),
      event: (name: string) => registered.events.push(name),
      use: () => undefined,
      shortcut: (constraint: unknown) => registered.shortcuts.push(idOf(constraint, "callback_id")),
      message: () => undefined,
      options: () => undefined,
    } as unknown as App;
    registerListeners(app, {} as SlackListenerDeps);
    for (const kind of ["actions", "views", "shortcuts", "commands", "events"] as const) {
      expect([...HANDLED_SLACK_REQUESTS[kind]].sort(), kind).toEqual([...new Set(registered[kind])].sort());
    }
  });
});
