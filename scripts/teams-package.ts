/**
 * npm run teams:package [-- --out <file.zip>]
 * Builds the Microsoft Teams app package to upload (Teams admin center, or "Upload a custom app"): the manifest of
 * manifests/teams/ with the bot's ids set to MICROSOFT_APP_ID, and both icons, zipped flat as Teams expects.
 * Default output: build/baton-teams.zip.
 */
import "dotenv/config";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AdmZip from "adm-zip";
import { ConfigError } from "../src/config/config-error.ts";
import { parseEnv } from "../src/config/env.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const TEAMS_MANIFEST_DIR = path.join(ROOT, "manifests/teams");
export const DEFAULT_PACKAGE_PATH = path.join(ROOT, "build/baton-teams.zip");
/** The id the committed manifest carries until a real one is filled in. */
export const PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICON_SIZES = { color: 192, outline: 32 } as const;

export interface BuildTeamsPackageOptions {
  /** The bot's Microsoft App ID; unset keeps the placeholder (the package then cannot reach a bot). */
  appId: string | undefined;
  outFile: string;
  manifestDir?: string;
}

export interface TeamsPackage {
  outFile: string;
  appId: string;
  files: string[];
}

/** Width and height from a PNG's IHDR chunk; throws when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const head = fs.readFileSync(file).subarray(0, 24);
  if (head.toString("latin1", 1, 4) !== "PNG" || head.toString("latin1", 12, 16) !== "IHDR") {
    throw new ConfigError(`${path.basename(file)} is not a PNG image`);
  }
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** Writes the upload zip: manifest.json (ids filled in) and the two icons at the zip's root. */
export function buildTeamsPackage(options: BuildTeamsPackageOptions): TeamsPackage {
  const dir = options.manifestDir ?? TEAMS_MANIFEST_DIR;
  const appId = options.appId ?? PLACEHOLDER_APP_ID;
  if (!GUID.test(appId)) {
    throw new ConfigError(`MICROSOFT_APP_ID must be the bot's Microsoft App ID, a GUID; got "${appId}"`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  // A bot-only app: the Teams app id and the bot id are the same registration.
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = appId;

  const zip = new AdmZip();
  zip.addFile("manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const [kind, size] of Object.entries(ICON_SIZES) as [keyof typeof ICON_SIZES, number][]) {
    const name: string = manifest.icons[kind];
    const file = path.join(dir, name);
    const { width, height } = pngSize(file);
    if (width !== size || height !== size) {
      throw new ConfigError(`the ${kind} icon ${name} must be ${size}×${size} pixels; it is ${width}×${height}`);
    }
    zip.addFile(name, fs.readFileSync(file));
  }
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  zip.writeZip(options.outFile);
  return { outFile: options.outFile, appId, files: zip.getEntries().map((entry) => entry.entryName) };
}

function main() {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const outFile = outAt >= 0 ? path.resolve(args[outAt + 1] ?? "") : DEFAULT_PACKAGE_PATH;
  if (outAt >= 0 && !args[outAt + 1]) throw new ConfigError("usage: npm run teams:package [-- --out <file.zip>]");
  const { teams } = parseEnv(process.env);
  if (!teams) {
    console.warn(
      "MICROSOFT_APP_ID is not set: the package carries the placeholder id and cannot reach a bot. " +
        "Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (in .env) and run this again before uploading it.",
    );
  }
  const built = buildTeamsPackage({ appId: teams?.appId, outFile });
  console.log(`Wrote ${path.relative(process.cwd(), built.outFile) || built.outFile} (${built.files.join(", ")})`);
  console.log(`Upload it in Teams: Apps → Manage your apps → Upload an app (bot id ${built.appId}).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`teams:package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
