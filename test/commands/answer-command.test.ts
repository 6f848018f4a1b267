import { pino } from "pino";
import { expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { ChatMessage } from "../../src/domain/chat-message.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
teams:
  - { id: emea, name: EMEA Sales, channel: "slack:CEMEA", timezone: Europe/London, reps: [{ id: ada, name: Ada Lovelace }] }
routing: { fallbackTeam: emea }
admins: ["slack:UBOSS"]
`);
const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

describeEachDatabase("answering commands", (database) => {
  it("looks a lead up, checks admins before admin verbs, and turns a failure into a plain apology", async () => {
    const db = await database();
    const reloads: (string | undefined)[] = [];
    const answer = createCommandAnswerer({
      prisma: db.prisma,
      batonConfig: () => config,
      reloadConfig: async (actor) => {
        reloads.push(actor);
        return { ok: true, message: say("Configuration reloaded.") };
      },
      logger: pino({ level: "silent" }),
    });
    await db.prisma.lead.create({
      data: { source: "hubspot", externalId: "1", email: "ada@example.com", firstName: "Ada", rawPayload: {} },
    });

    expect((await answer("lead ADA@example.com", "slack:UADA")).text).toBe("Ada: new, team no team, owner none yet");
    expect((await answer("lead nobody@example.com", "slack:UADA")).text).toContain(
      "No lead matches “nobody@example.com”",
    );

    expect((await answer("reload", "slack:UADA")).text).toBe(
      "Only Baton admins can run reload (see admins in the configuration file).",
    );
    expect((await answer("reload", "slack:UBOSS")).text).toBe("Configuration reloaded.");
    expect((await answer("reload", "console:operator")).text).toBe("Configuration reloaded.");
    // The chat admin is named to the reloader; the local operator reloads as the process's owner.
    expect(reloads).toEqual(["slack:UBOSS", undefined]);

    // forget: admins only; then the person is gone from the lead, and the answer does not repeat the address.
    expect((await answer("forget ada@example.com", "slack:UADA")).text).toBe(
      "Only Baton admins can run forget (see admins in the configuration file).",
    );
    expect((await answer("forget ada@example.com", "slack:UBOSS")).text).toBe(
      "Erased: 1 lead(s) anonymised; 0 chat message(s) queued for update.",
    );
    expect(await db.prisma.lead.count({ where: { email: "ada@example.com" } })).toBe(0);
    expect(await db.prisma.lead.count()).toBe(1);
    expect((await answer("forget ada@example.com", "slack:UBOSS")).text).toBe(
      "Baton holds no lead with that email address.",
    );

    const broken = createCommandAnswerer({
      prisma: {
        lead: {
          findFirst: async () => {
            throw new Error("PGlite is closed");
          },
        },
      } as unknown as PrismaClient,
      batonConfig: () => config,
      logger: pino({ level: "silent" }),
    });
    expect((await broken("lead ada@example.com", "slack:UADA")).text).toBe(
      "Something went wrong on Baton's side. It has been logged; please try again.",
    );
  });
});
