import { beforeAll } from "vitest";
import { signBatonRequest } from "../../src/intake/verify-signature.ts";
import { createTestDatabase, type Engine } from "../support/databases.ts";

/**
 * Builds the engine's migrated template before the first test, under the hook time limit: on a busy machine
 * migrating it can take most of a test's own limit.
 */
export function prepareTestDatabases(engines: readonly Engine[]) {
  beforeAll(async () => {
    for (const engine of engines) await (await createTestDatabase(engine)).close();
  });
}

export const INTAKE_SECRET = "intake-test-secret";

export const ADA = {
  source: "hubspot",
  externalId: "12345",
  email: "  Ada@Example.COM ",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  title: "CTO",
  phone: "+44 20 7946 0000",
  country: "GB",
  region: "EMEA",
  employees: 250,
  industry: "Software",
  score: 87,
  campaign: "Q4 webinar",
  channel: "paid-search",
  notes: "Asked for a demo",
  createdAt: "2026-11-20T10:15:00Z",
  favouriteEngine: "difference",
};

/** Signs and posts a body as a marketing system would. */
export async function postSigned(
  url: string,
  body: unknown,
  options: {
    secret?: string;
    timestamp?: number;
    signature?: string;
    path?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? signBatonRequest(options.secret ?? INTAKE_SECRET, timestamp, raw);
  const response = await fetch(`${url}${options.path ?? "/webhooks/mql"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-baton-timestamp": String(timestamp),
      "x-baton-signature": signature,
      ...options.headers,
    },
    body: raw,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, body: json };
}
