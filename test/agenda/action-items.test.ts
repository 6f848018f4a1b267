/** The action item repository on PGlite and PostgreSQL: what the agenda's loader reads back. */
import { expect, it } from "vitest";
import {
  createActionItem,
  dropActionItem,
  findActionItem,
  listOpenActionItems,
  markActionItemDone,
  reopenActionItem,
} from "../../src/agenda/action-items.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { forgetPerson } from "../../src/privacy/forget-person.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
teams:
  - { id: emea-sales, name: EMEA Sales, channel: "slack:CEMEA", reps: [{ id: ada, name: Ada Lovelace }] }
routing: { fallbackTeam: emea-sales }
`);
const MONDAY = new Date("2026-11-23T09:00:00Z");
const TUESDAY = new Date("2026-11-24T10:00:00Z");

describeEachDatabase("action items", (database) => {
  it("lists a scope's open items oldest first; a team item carries its team", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    const first = await createActionItem(db.prisma, {
      scope: "joint",
      text: "Agree the MQL definition",
      owner: "slack:U0ADA",
      createdBy: "slack:U0BOSS",
      dueAt: new Date("2026-11-27T23:59:59.999Z"),
    });
    const second = await createActionItem(db.prisma, {
      scope: "joint",
      text: "Review rejects",
      owner: "Grace",
      createdBy: "console:operator",
      sourceLink: "https://test-corp.slack.com/archives/C0EMEA/p1700000000000100",
    });
    const team = await createActionItem(db.prisma, {
      scope: "emea-sales",
      text: "Call Initech",
      owner: "Ada",
      createdBy: null,
    });

    expect(first).toMatchObject({ scope: "joint", teamId: null, status: "open", doneAt: null, doneBy: null });
    expect(team).toMatchObject({ scope: "emea-sales", teamId: "emea-sales" });
    expect(second.sourceLink).toBe("https://test-corp.slack.com/archives/C0EMEA/p1700000000000100");
    expect((await listOpenActionItems(db.prisma, "joint")).map((item) => item.text)).toEqual([
      "Agree the MQL definition",
      "Review rejects",
    ]);
    expect((await listOpenActionItems(db.prisma, "emea-sales")).map((item) => item.id)).toEqual([team.id]);
  });

  it("a seeded item keeps the creation time it was given, and lists by it", async () => {
    const db = await database();
    const now = await createActionItem(db.prisma, { scope: "joint", text: "Now", owner: "Ada", createdBy: null });
    const seeded = await createActionItem(db.prisma, {
      scope: "joint",
      text: "Last month",
      owner: "Ada",
      createdBy: null,
      createdAt: new Date("2026-10-26T09:00:00Z"),
    });
    expect(seeded.createdAt).toEqual(new Date("2026-10-26T09:00:00Z"));
    expect((await listOpenActionItems(db.prisma, "joint")).map((item) => item.id)).toEqual([seeded.id, now.id]);
  });

  it("done records who and when, once; reopening clears both; dropped items leave the open list too", async () => {
    const db = await database();
    const item = await createActionItem(db.prisma, { scope: "joint", text: "A", owner: "Ada", createdBy: null });
    const other = await createActionItem(db.prisma, { scope: "joint", text: "B", owner: "Ada", createdBy: null });

    const done = await markActionItemDone(db.prisma, item.id, "slack:U0ADA", MONDAY);
    expect(done).toMatchObject({ outcome: "changed", item: { status: "done", doneAt: MONDAY, doneBy: "slack:U0ADA" } });
    // Ticked again, by someone else, later: the first tick stands.
    const again = await markActionItemDone(db.prisma, item.id, "teams:aad-grace", TUESDAY);
    expect(again).toMatchObject({
      outcome: "unchanged",
      item: { status: "done", doneAt: MONDAY, doneBy: "slack:U0ADA" },
    });
    expect((await listOpenActionItems(db.prisma, "joint")).map((open) => open.text)).toEqual(["B"]);

    expect(await reopenActionItem(db.prisma, item.id, ["done"])).toMatchObject({
      outcome: "changed",
      item: { status: "open", doneAt: null, doneBy: null },
    });
    expect(await reopenActionItem(db.prisma, item.id)).toMatchObject({
      outcome: "unchanged",
      item: { status: "open" },
    });

    expect(await dropActionItem(db.prisma, other.id, "console:operator", TUESDAY)).toMatchObject({
      outcome: "changed",
      item: { status: "dropped", doneAt: TUESDAY, doneBy: "console:operator" },
    });
    // A dropped item is not ticked done, nor reopened by an unticked box.
    expect(await markActionItemDone(db.prisma, other.id, "slack:U0ADA", TUESDAY)).toMatchObject({
      outcome: "unchanged",
      item: { status: "dropped" },
    });
    expect(await reopenActionItem(db.prisma, other.id, ["done"])).toMatchObject({ outcome: "unchanged" });
    expect((await listOpenActionItems(db.prisma, "joint")).map((open) => open.text)).toEqual(["A"]);
  });

  it("an unknown or malformed id is not found, without an error from the database", async () => {
    const db = await database();
    for (const id of ["0193a7c2-0000-7000-8000-000000000001", "not-a-uuid", '\'; DROP TABLE "ActionItem"; --', ""]) {
      expect(await markActionItemDone(db.prisma, id, "slack:U0ADA", MONDAY)).toEqual({ outcome: "not_found" });
      expect(await reopenActionItem(db.prisma, id)).toEqual({ outcome: "not_found" });
      expect(await findActionItem(db.prisma, id)).toBeNull();
    }
  });

  it("two people ticking the same item at once: one tick is recorded", async () => {
    const db = await database();
    const item = await createActionItem(db.prisma, { scope: "joint", text: "A", owner: "Ada", createdBy: null });
    const results = await Promise.all([
      markActionItemDone(db.prisma, item.id, "slack:U0ADA", MONDAY),
      markActionItemDone(db.prisma, item.id, "teams:aad-grace", TUESDAY),
    ]);
    expect(results.map((result) => result.outcome).sort()).toEqual(["changed", "unchanged"]);
    const winner = results.find((result) => result.outcome === "changed");
    if (winner?.outcome !== "changed") throw new Error("no tick won");
    const stored = await findActionItem(db.prisma, item.id);
    expect(stored).toMatchObject({ status: "done", doneBy: winner.item.doneBy, doneAt: winner.item.doneAt });
  });

  it("forgetting a lead erases them from action items' text, taken from a chat message or typed", async () => {
    const db = await database();
    await db.prisma.lead.create({
      data: {
        source: "hubspot",
        externalId: "1",
        email: "augusta@analytical.example",
        firstName: "Augusta",
        lastName: "King",
        rawPayload: {},
      },
    });
    const about = await createActionItem(db.prisma, {
      scope: "joint",
      text: "Call Augusta King (augusta@analytical.example) about the renewal",
      owner: "slack:U0ADA",
      createdBy: "slack:U0BOSS",
      sourceLink: "https://test-corp.slack.com/archives/C0EMEA/p1700000000000100",
    });
    const other = await createActionItem(db.prisma, {
      scope: "joint",
      text: "Fix routing",
      owner: "Ada",
      createdBy: null,
    });

    await forgetPerson({ prisma: db.prisma, now: () => MONDAY }, "augusta@analytical.example");

    expect(await findActionItem(db.prisma, about.id)).toMatchObject({
      text: "Call [erased] ([erased]) about the renewal",
      owner: "slack:U0ADA",
      status: "open",
    });
    expect(await findActionItem(db.prisma, other.id)).toMatchObject({ text: "Fix routing" });
  });
});
