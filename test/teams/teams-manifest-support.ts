/**
 * Validates a Teams app manifest against Microsoft's published v1.19 schema, stored under test/fixtures/teams/ so
 * no test reaches the network. The schema declares draft-04 but uses draft-06 `const`; Ajv 8 reads it once its
 * `$schema` line is dropped.
 */
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const MANIFEST_DIR = path.join(ROOT, "manifests/teams");
const SCHEMA_FILE = path.join(ROOT, "test/fixtures/teams/MicrosoftTeams.v1.19.schema.json");

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as unknown as FormatsPlugin;

function compileManifestSchema() {
  const { $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validateManifest = compileManifestSchema();

/** The schema errors of a manifest, one readable line each; empty when it is valid. */
export function manifestSchemaErrors(manifest: unknown): string[] {
  if (validateManifest(manifest)) return [];
  return (validateManifest.errors ?? []).map(
    (error) => `${error.instancePath || "/"} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ""}`,
  );
}

/** The committed manifest, parsed. */
export function readCommittedManifest(): Record<string, unknown> & {
  id: string;
  bots: { botId: string; commandLists: { scopes: string[]; commands: { title: string }[] }[]; scopes: string[] }[];
} {
  return JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, "manifest.json"), "utf8"));
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error("not a PNG file");
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("PNG without IHDR as its first chunk");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
