/**
 * The Teams app manifest Baton ships is valid for Teams' v1.19 schema, its icons have the sizes Teams demands, and
 * the commands it advertises are exactly the ones the bot answers.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/domain/commands/command-grammar.ts";
import { MANIFEST_DIR, manifestSchemaErrors, pngSize, readCommittedManifest } from "./teams-manifest-support.ts";

describe("manifests/teams/manifest.json", () => {
  it("passes the Teams v1.19 manifest schema", () => {
    expect(manifestSchemaErrors(readCommittedManifest())).toEqual([]);
  });

  it("fails the schema when the bot id is not a GUID", () => {
    const manifest = readCommittedManifest();
    manifest.bots[0].botId = "not-a-guid";
    expect(manifestSchemaErrors(manifest).join("\n")).toMatch(/\/bots\/0\/botId/);
  });

  it("fails the schema without a name", () => {
    const { name: _name, ...manifest } = readCommittedManifest();
    expect(manifestSchemaErrors(manifest).join("\n")).toMatch(/name/);
  });

  it("fails the schema with a short description over 80 characters", () => {
    const manifest = readCommittedManifest();
    manifest.description = { short: "x".repeat(81), full: "long enough" };
    expect(manifestSchemaErrors(manifest)).not.toEqual([]);
  });

  it("uses the all-zero placeholder that packaging replaces with MICROSOFT_APP_ID", () => {
    const manifest = readCommittedManifest();
    expect(manifest.id).toBe("00000000-0000-0000-0000-000000000000");
    expect(manifest.bots[0].botId).toBe(manifest.id);
    expect(manifest.bots[0].scopes.toSorted()).toEqual(["groupChat", "personal", "team"]);
  });

  it("ships a 192x192 colour icon and a 32x32 outline icon", () => {
    expect(pngSize(fs.readFileSync(path.join(MANIFEST_DIR, "color.png")))).toEqual({ width: 192, height: 192 });
    expect(pngSize(fs.readFileSync(path.join(MANIFEST_DIR, "outline.png")))).toEqual({ width: 32, height: 32 });
  });

  it("reads PNG sizes from the IHDR chunk and refuses other files", () => {
    expect(() => pngSize(Buffer.from("GIF89a not a png at all"))).toThrow(/not a PNG/);
  });

  it("advertises in every scope exactly the commands the bot answers", () => {
    const manifest = readCommittedManifest();
    const lists = manifest.bots[0].commandLists;
    expect(lists.flatMap((list) => list.scopes).toSorted()).toEqual(["groupChat", "personal", "team"]);
    for (const list of lists) {
      const titles = list.commands.map((command) => command.title);
      expect(titles.toSorted()).toEqual(["help", "lead"]);
      // Each advertised command reaches its own handler, not the help fallback that unknown text gets.
      for (const title of titles) {
        expect(parseCommand(title === "lead" ? `${title} ada@example.com` : title)).toMatchObject({
          ok: true,
          command: { verb: title },
        });
      }
    }
  });
});
