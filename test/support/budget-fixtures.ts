/** One routed team, one rep, one SLA policy: the smallest configuration on which every intake step runs. */
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { toMql } from "../../src/intake/receive-mql.ts";

export const BUDGET_CONFIG = parseBatonConfig(`
marketing: { channel: "console:marketing" }
teams:
  - id: emea
    name: EMEA Sales
    channel: "slack:CEMEA"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: UADA }
      - { id: charles, name: Charles Babbage, slackUserId: UCHARLES }
routing:
  rules: [{ id: emea-all, team: emea, match: { region: [EMEA] } }]
  fallbackTeam: emea
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

export const BUDGET_NOW = new Date("2026-11-24T10:00:00Z");

export function budgetMql(externalId: string, email = `lead-${externalId}@analytical.example`) {
  const body = { source: "hubspot", externalId, email, firstName: "Ada", company: "Analytical", region: "EMEA" };
  return { mql: toMql(body), rawPayload: body, config: BUDGET_CONFIG, now: BUDGET_NOW };
}

/** The statements, numbered, for a failure message that shows what grew. */
export const listed = (statements: string[]) =>
  `\n${statements.map((sql, i) => `${i + 1}. ${sql.replace(/\s+/g, " ").slice(0, 160)}`).join("\n")}`;
