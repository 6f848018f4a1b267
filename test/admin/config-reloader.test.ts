import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { expect, it } from "vitest";
import { createConfigReloader } from "../../src/admin/config-reloader.ts";
import { type BatonConfig, EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const example = fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8");

describeEachDatabase("config reload", (database) => {
  it("applies a good file, keeps the old one for a bad file, and lets only admins ask", async () => {
    const { prisma } = await database();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "baton-reload-")), "baton.config.yaml");
    fs.writeFileSync(file, example);
    let current: BatonConfig = loadBatonConfig(file);
    await syncConfigToDatabase(prisma, current);
    const reload = createConfigReloader({
      configPath: file,
      current: () => current,
      apply: async (next) => {
        await syncConfigToDatabase(prisma, next);
        current = next;
      },
      logger: pino({ level: "silent" }),
    });

    fs.writeFileSync(file, example.replace("name: Grace Hopper", "name: Rear Admiral Grace Hopper"));
    const refused = await reload("slack:USOMEONE");
    expect(refused.ok).toBe(false);
    expect(refused.message.text).toContain("Only Baton admins");
    expect((await prisma.rep.findUniqueOrThrow({ where: { id: "grace" } })).name).toBe("Grace Hopper");

    const applied = await reload("console:you");
    expect(applied).toEqual({
      ok: true,
      message: expect.objectContaining({ text: expect.stringContaining("3 teams") }),
    });
    expect((await prisma.rep.findUniqueOrThrow({ where: { id: "grace" } })).name).toBe("Rear Admiral Grace Hopper");

    fs.writeFileSync(file, example.replace("timezone: America/New_York", "timezone: America/Gotham"));
    const bad = await reload();
    expect(bad.ok).toBe(false);
    expect(bad.message.text).toContain('teams[1].timezone: unknown time zone "America/Gotham"');
    expect(current.teams[1].timezone).toBe("America/New_York");
  });
});
