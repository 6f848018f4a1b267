import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { EXAMPLE_CONFIG_PATH, parseBatonConfig } from "../../src/config/baton-config.ts";
import { ConfigError } from "../../src/config/config-error.ts";

const exampleText = fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8");

/** The example with one edit applied through the YAML document model, so comments and layout stay put. */
function exampleWith(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(exampleText);
  edit(doc);
  return doc.toString();
}

function errorFor(text: string): ConfigError {
  try {
    parseBatonConfig(text, "baton.config.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain("\n");
    return error as ConfigError;
  }
  throw new Error("the configuration was accepted");
}

describe("a minimal configuration", () => {
  const minimal = `
teams:
  - id: sales
    name: Sales
    channel: "slack:C0123ABCD"
    reps: [{ id: ada, name: Ada Lovelace, slackUserId: U0ADA }]
routing: { fallbackTeam: sales }
`;

  it("starts with documented defaults: the standard SLA, the configuration's time zone, no marketing channel", () => {
    const config = parseBatonConfig(minimal);
    expect(config.sla).toEqual({
      defaultPolicy: "standard",
      policies: [
        { id: "standard", acceptWithin: 30, firstTouchWithin: 240, remindAt: [0.5, 0.9], reassignOnBreach: true },
      ],
    });
    expect(config.teams[0].timezone).toBe("UTC");
    expect(config.marketing).toBeUndefined();
    expect(config.notYetActedOn).toEqual([]);
    expect(parseBatonConfig(`timezone: Europe/Berlin\n${minimal}`).teams[0].timezone).toBe("Europe/Berlin");
  });

  it("names the keys a file sets that this version does not act on yet", () => {
    const withUnused = `${minimal}
sla:
  defaultPolicy: fast
  policies: [{ id: fast, acceptWithin: 10m, firstTouchWithin: 1h, escalateTo: "slack:CMANAGERS" }]
agenda: { schedule: "0 9 * * MON" }
`;
    // The SLA sweep acts on remindAt, escalateTo and reassignOnBreach: they are not named.
    // The weekly agenda job acts on `agenda` now: nothing is left unread.
    expect(parseBatonConfig(withUnused).notYetActedOn).toEqual([]);
    expect(parseBatonConfig(exampleText).notYetActedOn).toEqual([]);
  });
});

describe("parseBatonConfig", () => {
  it("parses the committed example", () => {
    const config = parseBatonConfig(exampleText);
    expect(config.teams.length).toBeGreaterThan(1);
    expect(config.teams.map((team) => team.id)).toContain(config.routing.fallbackTeam);
    expect(config.sla.policies.map((policy) => policy.id)).toContain(config.sla.defaultPolicy);
  });

  it("names the YAML path and the value of a wrong time zone", () => {
    const error = errorFor(exampleWith((doc) => doc.setIn(["teams", 1, "timezone"], "Mars/Olympus_Mons")));
    expect(error.message).toContain("teams[1].timezone");
    expect(error.message).toContain("Mars/Olympus_Mons");
  });

  it("rejects a fallback team that does not exist", () => {
    const error = errorFor(exampleWith((doc) => doc.setIn(["routing", "fallbackTeam"], "atlantis-sales")));
    expect(error.message).toContain("routing.fallbackTeam");
    expect(error.message).toContain("atlantis-sales");
  });

  it("rejects a team manager who is not a rep", () => {
    const error = errorFor(exampleWith((doc) => doc.setIn(["teams", 1, "manager"], "nobody")));
    expect(error.message).toBe('Invalid baton.config.yaml: teams[1].manager: unknown rep "nobody"');
    expect(parseBatonConfig(exampleText).teams[0].manager).toBe("ada");
  });

  it("reads holidays at the top and per team, and refuses a date that does not exist", () => {
    const config = parseBatonConfig(
      exampleWith((doc) => {
        doc.set("holidays", ["2026-12-25"]);
        doc.setIn(["teams", 0, "holidays"], ["2026-12-28"]);
      }),
    );
    expect(config.holidays).toEqual(["2026-12-25"]);
    expect(config.teams.map((team) => team.holidays)).toEqual([["2026-12-28"], [], []]);
    const error = errorFor(exampleWith((doc) => doc.setIn(["teams", 1, "holidays"], ["2026-02-30"])));
    expect(error.message).toBe('Invalid baton.config.yaml: teams[1].holidays[0]: no such date "2026-02-30"');
  });

  it("rejects duplicate rep ids", () => {
    const error = errorFor(
      exampleWith((doc) => {
        const firstRepId = doc.getIn(["teams", 0, "reps", 0, "id"]);
        doc.setIn(["teams", 1, "reps", 0, "id"], firstRepId);
      }),
    );
    expect(error.message).toContain("teams[1].reps[0].id");
    expect(error.message).toContain("duplicate rep id");
  });

  it("names the line of a YAML syntax error", () => {
    const text = "organization: Example\nteams:\n  - id: a\n    name: [unclosed\n";
    const error = errorFor(text);
    expect(error.message).toMatch(/line \d+/);
    expect(error.message).toContain("baton.config.yaml");
  });

  it("rejects unknown keys instead of ignoring a typo", () => {
    const error = errorFor(exampleWith((doc) => doc.setIn(["teams", 0, "timezon"], "UTC")));
    expect(error.message).toContain("teams[0]");
    expect(error.message).toContain("timezon");
  });
});
