/**
 * `npm run forget -- <email>`: erases a person from Baton (see src/privacy/forget-person.ts). Posted cards are
 * re-rendered by the outbox of the running Baton (or the next one started).
 */
import "dotenv/config";
import { ConfigError } from "../src/config/config-error.ts";
import { parseEnv } from "../src/config/env.ts";
import { migrateOnStartup, openDatabase } from "../src/db/database.ts";
import { forgetPerson } from "../src/privacy/forget-person.ts";

async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email?.includes("@")) throw new ConfigError("usage: npm run forget -- <email>");
  const config = parseEnv(process.env);
  const db = await openDatabase(config.database);
  try {
    await migrateOnStartup(db, config.database);
    const result = await forgetPerson({ prisma: db.prisma }, email);
    // The address itself is not echoed: terminal scrollback and CI logs are places it must not linger either.
    console.log(
      result.leads === 0
        ? "forget: Baton holds no lead with that email address."
        : `forget: ${result.leads} lead(s) anonymised; ${result.messagesUpdated} chat message(s) queued for update.`,
    );
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`forget: ${error instanceof ConfigError ? error.message : (error as Error).stack}`);
    process.exit(1);
  },
);
