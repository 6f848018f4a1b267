/**
 * The leads the agenda's funnel findings name, read for the findings kept only (a handful at most, usually none):
 * for a conversion drop, every passage of the reviewed week that dropped out, in the order they did; for a
 * slowdown, the slowest converted passages. `findingLeadIds` in the domain is the reference this is tested against.
 */
import type { Window } from "../domain/agenda/agenda-facts.ts";
import { SLOWEST_LEADS_SHOWN, type StageFinding, stageFindingKey } from "../domain/agenda/funnel-stages.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type FunnelDb, funnelLeadsSql, passagesSql } from "./funnel-passages-sql.ts";

export async function loadFindingLeadIds(
  db: FunnelDb,
  input: { teamId: string | undefined; reviewed: Window },
  findings: Pick<StageFinding, "stage" | "segment" | "metric">[],
): Promise<Record<string, string[]>> {
  const { reviewed } = input;
  const entries = await Promise.all(
    findings.map(async (finding) => {
      const ofSegment = finding.segment === null ? Prisma.empty : Prisma.sql`AND segment = ${finding.segment}`;
      const rows =
        finding.metric === "conversion"
          ? await db.$queryRaw<{ id: string }[]>`
              WITH lead AS (${funnelLeadsSql({ teamId: input.teamId, since: reviewed.start })})
              SELECT id::text FROM (${passagesSql([finding.stage])}) p
              WHERE exited >= ${reviewed.start} AND exited < ${reviewed.end} AND NOT converted ${ofSegment}
              ORDER BY p.exited, p.id`
          : await db.$queryRaw<{ id: string }[]>`
              WITH lead AS (${funnelLeadsSql({ teamId: input.teamId, since: reviewed.start })})
              SELECT id::text FROM (${passagesSql([finding.stage])}) p
              WHERE exited >= ${reviewed.start} AND exited < ${reviewed.end} AND converted ${ofSegment}
              ORDER BY p.exited - p.entered DESC, p.id
              LIMIT ${SLOWEST_LEADS_SHOWN}`;
      return [stageFindingKey(finding), rows.map((row) => row.id)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
