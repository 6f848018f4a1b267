/** Slack stays in its adapter: no other part of Baton may depend on Slack's SDK. */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

it("only src/slack imports @slack/*", () => {
  const offenders = sourceFiles(SRC)
    .filter((file) => !file.startsWith(path.join(SRC, "slack") + path.sep))
    .filter((file) => /from\s+["']@slack\//.test(fs.readFileSync(file, "utf8")))
    .map((file) => path.relative(SRC, file));
  expect(offenders).toEqual([]);
});

it("the Slack adapter leaves decisions to the handoff: it never writes leads or offers itself", () => {
  const writes = sourceFiles(path.join(SRC, "slack")).filter((file) =>
    /\.(lead|offer)\.(create|update|updateMany|upsert|delete)\(/.test(fs.readFileSync(file, "utf8")),
  );
  expect(writes).toEqual([]);
});
