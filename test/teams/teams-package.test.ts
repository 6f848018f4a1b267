/**
 * `npm run teams:package`: the upload zip Teams accepts. The manifest inside is checked against Microsoft's published
 * schema (v1.19, vendored in test/fixtures/teams so that no test needs the network), with the real app id filled in.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import AdmZip from "adm-zip";
import { Ajv, type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { buildTeamsPackage, PLACEHOLDER_APP_ID, TEAMS_MANIFEST_DIR } from "../../scripts/teams-package.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const SCHEMA_FILE = path.join(ROOT, "test/fixtures/teams/MicrosoftTeams.v1.19.schema.json");
const APP_ID = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

function manifestValidator() {
  // Microsoft's file declares draft-04 but uses later keywords (`const`); Ajv's default draft reads it as meant.
  const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (manifest: unknown): ErrorObject[] => (validate(manifest) ? [] : (validate.errors ?? []));
}

const validateManifest = manifestValidator();
const describeErrors = (errors: ErrorObject[]) => errors.map((error) => `${error.instancePath} ${error.message}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "baton-teams-package-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run teams:package", () => {
  it("zips the manifest with the app id filled in, and both icons, at the root", async () => {
    const outFile = path.join(tmp, "from-npm.zip");
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: "not-a-real-secret",
      INTAKE_SIGNING_SECRET: "a-test-secret",
    };
    // From a folder without .env, so only the variables above count.
    const { stdout } = await promisify(execFile)(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "scripts/teams-package.ts"), "--out", outFile],
      { cwd: tmp, env },
    );
    expect(stdout).toContain("from-npm.zip");

    const zip = new AdmZip(outFile);
    expect(
      zip
        .getEntries()
        .map((entry) => entry.entryName)
        .sort(),
    ).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(zip.readAsText("manifest.json"));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(describeErrors(validateManifest(manifest))).toEqual([]);
    expect(zip.readFile("color.png")).toEqual(fs.readFileSync(path.join(TEAMS_MANIFEST_DIR, "color.png")));
  });

  it("the schema check refuses what Teams would refuse", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(TEAMS_MANIFEST_DIR, "manifest.json"), "utf8"));
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], botId: "my-bot" }], accentColor: "blue" };
    expect(validateManifest(broken).map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(["/bots/0/botId", "/accentColor"]),
    );
  });

  it("keeps the placeholder when no app id is set, and refuses an id that is not a GUID", () => {
    const placeholder = buildTeamsPackage({ appId: undefined, outFile: path.join(tmp, "placeholder.zip") });
    expect(JSON.parse(new AdmZip(placeholder.outFile).readAsText("manifest.json")).id).toBe(PLACEHOLDER_APP_ID);
    expect(() => buildTeamsPackage({ appId: "baton-bot", outFile: path.join(tmp, "bad.zip") })).toThrow(
      /MICROSOFT_APP_ID must be .* a GUID/,
    );
    expect(fs.existsSync(path.join(tmp, "bad.zip"))).toBe(false);
  });
});
