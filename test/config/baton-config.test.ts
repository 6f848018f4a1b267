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
