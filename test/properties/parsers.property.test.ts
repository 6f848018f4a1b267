/**
 * Property-based: no input makes the intake parsers or the Slack request classifier throw anything but Baton's
 * own 4xx AppError (which the HTTP layer answers as such). A plain Error here would be a 500.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZCrmEvent } from "../../src/domain/leads/funnel.ts";
import { parseMql } from "../../src/domain/leads/mql.ts";
import { SOURCE_MAPPERS } from "../../src/domain/leads/source-mappers.ts";
import { findUnstorableJson } from "../../src/domain/storable-input.ts";
import { AppError } from "../../src/errors.ts";
import { parseJsonBody } from "../../src/intake/intake-routes.ts";
import { toMql } from "../../src/intake/receive-mql.ts";
import { classifySlackRequest } from "../../src/slack/classify-slack-request.ts";
import { HANDLED_SLACK_REQUESTS } from "../../src/slack/listeners/index.ts";

/** Strings with what probing found troublesome: NUL, lone surrogates, markup, huge numbers as text. */
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "\u0000",
    "\ud800",
    "\udc00x",
    "<!channel>",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "1e12",
    "",
  ),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;
/** MQL-ish objects: the known fields with hostile values, plus unknown ones. */
const mqlLike = fc.record(
  {
    source: hostileValue,
    externalId: hostileValue,
    email: fc.oneof(fc.emailAddress(), hostileValue),
    firstName: hostileValue,
    createdAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      hostileValue,
    ),
    employees: hostileValue,
    extra: hostileValue,
  },
  { requiredKeys: [] },
);
const crmLike = fc.record(
  {
    source: hostileValue,
    externalId: hostileValue,
    type: fc.oneof(fc.constantFrom("sql", "won", "opportunity"), hostileValue),
    lead: fc.oneof(fc.record({ email: fc.oneof(fc.emailAddress(), hostileValue) }), hostileValue),
    amount: fc.oneof(fc.double(), fc.constant(1e12), hostileValue),
    occurredAt: hostileValue,
  },
  { requiredKeys: [] },
);

const only4xx = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBeGreaterThanOrEqual(400);
    expect((error as AppError).status).toBeLessThan(500);
  }
};

describe("intake parsers never fail with anything but a 4xx", () => {
  it("raw bytes → parseJsonBody → toMql, for every source shape", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          mqlLike.map((v) => Buffer.from(JSON.stringify(v))),
        ),
        fc.constantFrom(undefined, ...(Object.keys(SOURCE_MAPPERS) as (keyof typeof SOURCE_MAPPERS)[])),
        (raw, shape) => only4xx(() => toMql(parseJsonBody(raw), shape)),
      ),
      { numRuns: 1_000 },
    );
  });

  it("whatever parseMql accepts can be stored: no NUL, no lone surrogate, no date outside 1970–2099", () => {
    fc.assert(
      fc.property(mqlLike, (body) => {
        if (findUnstorableJson(body)) return;
        const parsed = parseMql(body);
        if (!parsed.ok) return;
        expect(findUnstorableJson(parsed.mql)).toBeUndefined();
        const year = parsed.mql.createdAt?.getUTCFullYear();
        if (year !== undefined) expect(year >= 1970 && year < 2100).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it("CRM events: accepted amounts fit Decimal(14, 2), never throws", () => {
    fc.assert(
      fc.property(crmLike, (body) => {
        const parsed = ZCrmEvent.safeParse(body);
        if (parsed.success && parsed.data.amount !== undefined) expect(parsed.data.amount).toBeLessThan(1e12);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("Slack request classifier", () => {
  const payloads = fc.oneof(
    hostileValue,
    fc.record(
      {
        type: fc.oneof(fc.constantFrom("block_actions", "view_submission", "view_closed", "shortcut"), hostileValue),
        user: fc.oneof(fc.record({ id: hostileString }), hostileValue),
        actions: fc.oneof(fc.array(fc.record({ action_id: hostileString }), { maxLength: 3 }), hostileValue),
        view: fc.oneof(fc.record({ callback_id: hostileString, state: hostileValue }), hostileValue),
      },
      { requiredKeys: [] },
    ),
  );
  it("never throws, and calls nothing handled that lacks what the listeners read", () => {
    fc.assert(
      fc.property(payloads, fc.boolean(), (payload, asForm) => {
        const json = JSON.stringify(payload) ?? "null";
        const body = asForm ? `payload=${encodeURIComponent(json)}` : json;
        const sorted = classifySlackRequest(
          body,
          asForm ? "application/x-www-form-urlencoded" : "application/json",
          HANDLED_SLACK_REQUESTS,
        );
        if (sorted.kind !== "handled" || !asForm) return;
        const p = payload as {
          user: { id: string };
          actions?: { action_id: string }[];
          view?: { callback_id: string };
        };
        expect(typeof p.user.id).toBe("string");
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("Slack request classifier, found by the property above", () => {
  it("names a request or interaction type that String() cannot convert, as JSON, instead of throwing", () => {
    const json = JSON.stringify({ type: { toString: false } });
    expect(classifySlackRequest(json, "application/json", HANDLED_SLACK_REQUESTS)).toEqual({
      kind: "unknown",
      what: 'request type {"toString":false}',
    });
    const form = `payload=${encodeURIComponent(json)}`;
    expect(classifySlackRequest(form, "application/x-www-form-urlencoded", HANDLED_SLACK_REQUESTS)).toEqual({
      kind: "unknown",
      what: 'interaction {"toString":false}',
    });
  });
});
