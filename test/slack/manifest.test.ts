/** The Slack manifest must agree with CONTRACT.md and with what the adapter actually handles. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HANDLED_SLACK_REQUESTS } from "../../src/slack/listeners/index.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const readManifest = (name: string) => parse(fs.readFileSync(path.join(ROOT, "manifests/slack", name), "utf8"));
const manifest = readManifest("manifest.yml");
const socketModeManifest = readManifest("manifest.socket-mode.yml");
const source = (file: string) => fs.readFileSync(path.join(ROOT, "src/slack", file), "utf8");

describe("manifests/slack/manifest.yml", () => {
  it("asks for the least bot scopes that work: posting, the slash command, the agenda chart, reading back its own posts", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([
      "chat:write",
      "commands",
      "files:write",
      "channels:history",
      "groups:history",
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it("sends the /baton command, interactivity and events to /slack/events", () => {
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe("/baton");
    for (const requestUrl of [
      command.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ]) {
      expect(requestUrl).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("subscribes only to events the adapter has a listener for", () => {
    const registered = source("listeners/events/index.ts");
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(registered).toContain(`app.event("${event}"`);
    }
  });

  it("offers the “Add to agenda” message shortcut the adapter handles", () => {
    expect(manifest.features.shortcuts).toEqual([
      {
        name: "Add to agenda",
        type: "message",
        callback_id: "agenda_add_action",
        description: "Add this message to the weekly agenda as an action item",
      },
    ]);
    expect(HANDLED_SLACK_REQUESTS.shortcuts).toEqual(["agenda_add_action"]);
  });

  it("lets Baton's DMs show in the app's Messages tab", () => {
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });
});

describe("manifests/slack/manifest.socket-mode.yml", () => {
  /** Every `url` and `request_url` in a manifest, wherever it is. */
  function requestUrls(node: unknown): string[] {
    if (Array.isArray(node)) return node.flatMap(requestUrls);
    if (node === null || typeof node !== "object") return [];
    return Object.entries(node).flatMap(([key, value]) =>
      key === "url" || key === "request_url" ? [String(value)] : requestUrls(value),
    );
  }

  it("turns Socket Mode on and names no request URL: Slack never calls Baton", () => {
    expect(socketModeManifest.settings.socket_mode_enabled).toBe(true);
    expect(requestUrls(socketModeManifest)).toEqual([]);
    expect(requestUrls(manifest)).toHaveLength(3);
  });

  it("is the HTTP manifest in every other respect: scopes, /baton, interactivity, events, Messages tab", () => {
    const withoutTransport = (source: typeof manifest) => {
      const copy = structuredClone(source);
      delete copy.settings.socket_mode_enabled;
      delete copy.settings.interactivity.request_url;
      delete copy.settings.event_subscriptions.request_url;
      for (const command of copy.features.slash_commands) delete command.url;
      return copy;
    };
    expect(withoutTransport(socketModeManifest)).toEqual(withoutTransport(manifest));
  });
});
