import fs from "node:fs";
import { expect, it } from "vitest";
import { type BatonConfig, EXAMPLE_CONFIG_PATH, parseBatonConfig } from "../../src/config/baton-config.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const example = parseBatonConfig(fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8"));

async function snapshot(prisma: PrismaClient) {
  const teams = await prisma.team.findMany({ orderBy: { id: "asc" } });
  const reps = await prisma.rep.findMany({ orderBy: { id: "asc" } });
  const strip = <T extends { updatedAt: Date; createdAt: Date }>({ updatedAt, createdAt, ...rest }: T) => rest;
  return { teams: teams.map(strip), reps: reps.map(strip) };
}

describeEachDatabase("syncConfigToDatabase", (database) => {
  it("upserts every team and rep of the config", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, example);
    const { teams, reps } = await snapshot(prisma);
    expect(teams.map((team) => team.id)).toEqual(example.teams.map((team) => team.id).sort());
    expect(reps.map((rep) => rep.id)).toEqual(example.teams.flatMap((team) => team.reps.map((rep) => rep.id)).sort());
    const firstTeam = example.teams[0];
    expect(teams.find((team) => team.id === firstTeam.id)).toMatchObject({
      name: firstTeam.name,
      conversation: firstTeam.channel,
      timezone: firstTeam.timezone,
      active: true,
    });
    const awayRep = example.teams.flatMap((team) => team.reps).find((rep) => rep.away);
    expect(awayRep).toBeDefined();
    expect(reps.find((rep) => rep.id === awayRep?.id)).toMatchObject({ status: "away", active: true });
  });

  it("deactivates, but keeps, teams and reps removed from the config, and reactivates them when they return", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, example);
    const [keptTeam, removedTeam, ...otherTeams] = example.teams;
    const removedRep = keptTeam.reps[0];
    const smaller: BatonConfig = {
      ...example,
      teams: [{ ...keptTeam, reps: keptTeam.reps.slice(1) }, ...otherTeams],
    };
    await syncConfigToDatabase(prisma, smaller);
    expect(await prisma.team.findUniqueOrThrow({ where: { id: removedTeam.id } })).toMatchObject({ active: false });
    expect(await prisma.rep.findUniqueOrThrow({ where: { id: removedRep.id } })).toMatchObject({ active: false });
    for (const rep of removedTeam.reps) {
      expect(await prisma.rep.findUniqueOrThrow({ where: { id: rep.id } })).toMatchObject({ active: false });
    }
    expect(await prisma.team.findUniqueOrThrow({ where: { id: keptTeam.id } })).toMatchObject({ active: true });

    await syncConfigToDatabase(prisma, example);
    expect(await prisma.team.findUniqueOrThrow({ where: { id: removedTeam.id } })).toMatchObject({ active: true });
    expect(await prisma.rep.findUniqueOrThrow({ where: { id: removedRep.id } })).toMatchObject({ active: true });
  });

  it("changes nothing when run twice with the same config", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, example);
    const first = await snapshot(prisma);
    await syncConfigToDatabase(prisma, example);
    expect(await snapshot(prisma)).toEqual(first);
  });
});
