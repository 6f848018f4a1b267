/**
 * Mirrors the YAML's teams and reps into the database, so leads, offers, deals and targets can reference them.
 * Teams or reps removed from the YAML are marked inactive, never deleted: their history stays.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { platformOf } from "../domain/chat-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

export async function syncConfigToDatabase(prisma: PrismaClient, config: BatonConfig): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const teamIds = config.teams.map((team) => team.id);
    const repIds = config.teams.flatMap((team) => team.reps.map((rep) => rep.id));
    for (const team of config.teams) {
      const data = {
        name: team.name,
        conversation: team.channel,
        platform: platformOf(team.channel),
        timezone: team.timezone,
        // The team's calendar travels with its hours: every clock started for the team skips its holidays.
        workingHours: { ...team.workingHours, holidays: [...new Set([...config.holidays, ...team.holidays])].sort() },
        active: true,
      };
      await tx.team.upsert({ where: { id: team.id }, create: { id: team.id, ...data }, update: data });
      for (const rep of team.reps) {
        const repData = {
          teamId: team.id,
          name: rep.name,
          email: rep.email ?? null,
          slackUserId: rep.slackUserId ?? null,
          teamsUserId: rep.teamsUserId ?? null,
          capacity: rep.capacity,
          status: rep.away ? ("away" as const) : ("active" as const),
          timezone: rep.timezone ?? null,
          workingHours: rep.workingHours ?? undefined,
          active: true,
        };
        await tx.rep.upsert({ where: { id: rep.id }, create: { id: rep.id, ...repData }, update: repData });
      }
    }
    await tx.rep.updateMany({ where: { id: { notIn: repIds } }, data: { active: false } });
    await tx.team.updateMany({ where: { id: { notIn: teamIds } }, data: { active: false } });
  });
}
