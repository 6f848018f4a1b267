import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

// Routing and MQL rules are pure: plain data in, decisions out, testable without a server or a database.
const FORBIDDEN =
  /from\s+["'](?:express|node:http|node:https|@slack\/[^"']*|botbuilder[^"']*|@prisma\/[^"']*|pg|[^"']*generated\/prisma[^"']*|[^"']*\/(?:repositories|intake|http|slack|teams|db)\/[^"']*)["']/;

it.each(["src/domain/routing", "src/domain/leads"])("%s imports no HTTP, chat SDK or database code", (dir) => {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(0);
  for (const name of files) {
    const source = fs.readFileSync(path.join(dir, name), "utf8");
    expect(source.match(FORBIDDEN)?.[0], `${dir}/${name}`).toBeUndefined();
  }
});
