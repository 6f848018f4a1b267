/** Which agendas a configuration posts, when, and when a run is a late one. */
import { describe, expect, it } from "vitest";
import { postedAgendas } from "../../src/agenda/agenda-targets.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { lastFireThisWeek } from "../../src/jobs/weekly-agenda.ts";

const config = parseBatonConfig(`
timezone: Europe/Berlin
agenda: { channel: "slack:C0WEEKLY" }
teams:
  - id: emea
    name: EMEA Sales
    channel: "slack:CEMEA"
    timezone: Europe/London
    agenda: { schedule: "30 8 * * TUE" }
  - id: na
    name: NA Sales
    channel: "teams:19:na@thread.tacv2"
    timezone: America/New_York
    agenda: { channel: "teams:19:na-leads@thread.tacv2" }
  - { id: apac, name: APAC Sales, channel: "slack:CAPAC" }
routing: { fallbackTeam: emea }
`);

describe("weekly agenda schedules", () => {
  it("posts the joint agenda and each team's that asks for one, in their own time zones", () => {
    expect(postedAgendas(config)).toEqual([
      {
        scope: "joint",
        team: null,
        schedule: "0 9 * * MON",
        timezone: "Europe/Berlin",
        conversation: "slack:C0WEEKLY",
      },
      {
        scope: "emea",
        team: { id: "emea", name: "EMEA Sales", timezone: "Europe/London" },
        schedule: "30 8 * * TUE",
        timezone: "Europe/London",
        conversation: "slack:CEMEA",
      },
      {
        scope: "na",
        team: { id: "na", name: "NA Sales", timezone: "America/New_York" },
        schedule: "0 9 * * MON",
        timezone: "America/New_York",
        conversation: "teams:19:na-leads@thread.tacv2",
      },
    ]);
    expect(config.notYetActedOn).toEqual([]);
  });

  it("refuses a schedule that is not a cron expression, naming it", () => {
    expect(() =>
      parseBatonConfig(`
agenda: { schedule: "every monday" }
teams: [{ id: emea, name: EMEA, channel: "slack:C1" }]
routing: { fallbackTeam: emea }
`),
    ).toThrow("agenda.schedule: must be a cron expression");
  });

  it("finds this week's post time in the agenda's time zone, if it has passed", () => {
    const [joint, emea, na] = postedAgendas(config);
    // Monday 09:00 in Berlin is 08:00 UTC in winter.
    expect(lastFireThisWeek(joint, new Date("2026-11-23T07:59:00Z"))).toBeNull();
    expect(lastFireThisWeek(joint, new Date("2026-11-23T08:00:00Z"))).toEqual(new Date("2026-11-23T08:00:00Z"));
    expect(lastFireThisWeek(joint, new Date("2026-11-29T22:00:00Z"))).toEqual(new Date("2026-11-23T08:00:00Z"));
    expect(lastFireThisWeek(emea, new Date("2026-11-23T12:00:00Z"))).toBeNull();
    expect(lastFireThisWeek(emea, new Date("2026-11-24T10:00:00Z"))).toEqual(new Date("2026-11-24T08:30:00Z"));
    // 09:00 in New York is 14:00 UTC.
    expect(lastFireThisWeek(na, new Date("2026-11-23T15:00:00Z"))).toEqual(new Date("2026-11-23T14:00:00Z"));
  });
});
