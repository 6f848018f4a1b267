/**
 * The action items an agenda shows: open ones of its scope carry over week after week; one done since the previous
 * agenda's week began is shown once, ticked; dropped ones and other scopes' are not shown.
 */
import { expect, it } from "vitest";
import { loadAgendaActionItems } from "../../src/agenda/load-agenda-action-items.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { slackTestConfig } from "../slack/slack-test-kit.ts";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("the agenda's action items", (database) => {
  it("carries open items over and shows a done one once", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, slackTestConfig());
    const at = (iso: string) => new Date(iso);
    // The joint agenda of the week of 16 Nov was posted; the next one is the week of 23 Nov.
    await db.prisma.weeklyAgenda.create({
      data: {
        scope: "joint",
        weekStart: at("2026-11-16T00:00:00Z"),
        content: {},
        postedAt: at("2026-11-16T09:00:00Z"),
      },
    });
    await db.prisma.actionItem.createMany({
      data: [
        { scope: "joint", text: "open since October", createdAt: at("2026-10-05T10:00:00Z") },
        {
          scope: "joint",
          text: "done last Tuesday",
          status: "done",
          doneAt: at("2026-11-17T10:00:00Z"),
          createdAt: at("2026-11-10T10:00:00Z"),
        },
        {
          scope: "joint",
          text: "done three weeks ago",
          status: "done",
          doneAt: at("2026-11-02T10:00:00Z"),
          createdAt: at("2026-10-20T10:00:00Z"),
        },
        { scope: "joint", text: "dropped", status: "dropped", createdAt: at("2026-11-10T11:00:00Z") },
        { scope: "emea-sales", teamId: "emea-sales", text: "EMEA's own", createdAt: at("2026-11-10T12:00:00Z") },
      ],
    });
    const shown = async (weekStart: string, scope = "joint") =>
      (await loadAgendaActionItems(db.prisma, { scope, weekStart, timezone: "Europe/London" })).map(
        (item) => `${item.status}: ${item.text}`,
      );
    expect(await shown("2026-11-23")).toEqual(["open: open since October", "done: done last Tuesday"]);
    expect(await shown("2026-11-23", "emea-sales")).toEqual(["open: EMEA's own"]);

    // The week of 23 Nov is posted: the next agenda no longer shows last Tuesday's item, the open one stays.
    await db.prisma.weeklyAgenda.create({
      data: {
        scope: "joint",
        weekStart: at("2026-11-23T00:00:00Z"),
        content: {},
        postedAt: at("2026-11-23T09:00:00Z"),
      },
    });
    expect(await shown("2026-11-30")).toEqual(["open: open since October"]);
  });
});
