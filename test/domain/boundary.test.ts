/**
 * The domain core stays platform-free: no chat SDK, no HTTP server, no database client. This test reads every file
 * under src/domain/ and fails on any import of one, so the boundary is enforced rather than hoped for.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../src");
const DOMAIN = path.join(SRC, "domain");
const TEAMS = path.join(SRC, "teams");

/** Why each kind of module is kept out of the core. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /^@slack\//, why: "Slack SDK belongs in src/slack/" },
  { pattern: /^botbuilder/, why: "Bot Framework SDK belongs in src/teams/" },
  { pattern: /^botframework-/, why: "Bot Framework SDK belongs in src/teams/" },
  { pattern: /^express(\/|$)/, why: "HTTP belongs in src/http/ and the adapters" },
  { pattern: /^(node:)?https?(\/|$)/, why: "HTTP belongs in src/http/ and the adapters" },
  { pattern: /^pg(\/|$)/, why: "the database belongs in src/repositories/" },
  { pattern: /^@prisma\//, why: "the database belongs in src/repositories/" },
  { pattern: /^prisma(\/|$)/, why: "the database belongs in src/repositories/" },
  { pattern: /(^|\/)pglite|^@electric-sql\//, why: "the database belongs in src/repositories/" },
  { pattern: /(^|\/)generated(\/|$)/, why: "the generated Prisma client belongs in src/repositories/" },
  { pattern: /^pino(-|\/|$)/, why: "logging belongs at the edges; the core returns values and throws AppError" },
  {
    pattern: /(^|\/)(slack|teams|console|http|repositories|db|outbox)\//,
    why: "the core depends on no adapter, server, repository or database module",
  },
  { pattern: /(^|\/)logger(\.ts)?$/, why: "logging belongs at the edges; the core returns values and throws AppError" },
];

/** Only the Teams adapter may name the Bot Framework SDK: everything else goes through the chat port. */
const BOT_FRAMEWORK_SDK = /^(botbuilder|botframework-)/;

/** Every module specifier a TypeScript source names: static and type imports, re-exports, `import()`, `require()`. */
function importedModules(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

/** The Bot Framework SDK imports of one source. */
function botFrameworkImports(source: string): string[] {
  return importedModules(source).filter((specifier) => BOT_FRAMEWORK_SDK.test(specifier));
}

/** The forbidden imports of one source, as `"module" (why)`. */
function boundaryViolations(source: string): string[] {
  return importedModules(source).flatMap((specifier) => {
    const rule = FORBIDDEN.find(({ pattern }) => pattern.test(specifier));
    return rule ? [`"${specifier}" (${rule.why})`] : [];
  });
}

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return /\.(c|m)?[jt]sx?$/.test(entry.name) ? [full] : [];
  });
}

describe("the domain boundary", () => {
  it("reads the whole domain core", () => {
    const files = sourcesUnder(DOMAIN).map((file) => path.relative(DOMAIN, file));
    expect(files).toContain("chat-message.ts");
    expect(files).toContain("lead-card.ts");
    expect(files.length).toBeGreaterThan(5);
  });

  it("src/domain/ imports no chat SDK, HTTP server or database client", () => {
    const violations = sourcesUnder(DOMAIN).flatMap((file) =>
      boundaryViolations(fs.readFileSync(file, "utf8")).map(
        (violation) => `${path.relative(DOMAIN, file)}: ${violation}`,
      ),
    );
    expect(violations).toEqual([]);
  });

  it("outside src/teams/, nothing in src/ imports the Bot Framework SDK", () => {
    const files = sourcesUnder(SRC).filter((file) => !file.startsWith(`${TEAMS}${path.sep}`));
    expect(files.map((file) => path.relative(SRC, file))).toContain("app.ts");
    const offenders = files.flatMap((file) =>
      botFrameworkImports(fs.readFileSync(file, "utf8")).map(
        (specifier) => `${path.relative(SRC, file)}: "${specifier}"`,
      ),
    );
    expect(offenders).toEqual([]);
    // The scan does see the SDK where it belongs, so an empty list above means something.
    expect(sourcesUnder(TEAMS).some((file) => botFrameworkImports(fs.readFileSync(file, "utf8")).length > 0)).toBe(
      true,
    );
  });

  it.each([
    'import { App } from "@slack/bolt";',
    "import type { WebClient } from '@slack/web-api';",
    'import { TurnContext } from "botbuilder";',
    'import { CardFactory } from "botbuilder-core";',
    'import { ConnectorClient } from "botframework-connector";',
    'import express from "express";',
    'import http from "node:http";',
    'import { request } from "https";',
    'import pg from "pg";',
    'import { PrismaClient } from "@prisma/client";',
    'import type { Lead } from "../generated/prisma/client.ts";',
    'import type { Lead } from "../../generated/prisma/models.ts";',
    'import { PGlite } from "@electric-sql/pglite";',
    'import { PrismaPGlite } from "pglite-prisma-adapter";',
    'import { PGlite } from "@electric-sql/pglite-tools";',
    'import pino from "pino";',
    'import type { Logger } from "pino";',
    'import type { PrismaClient } from "../../src/generated/prisma/client.ts";',
    'import { postLeadCard } from "../slack/post-lead-card.ts";',
    'import { TeamsChat } from "../../teams/teams-chat.ts";',
    'import { findLead } from "../repositories/leads.ts";',
    'import { openDatabase } from "../db/database.ts";',
    'import type { Logger } from "../logger.ts";',
    'export { Prisma } from "@prisma/client";',
    'const { Pool } = await import("pg");',
    'const express = require("express");',
    'import {\n  type Activity,\n  TurnContext,\n} from "botbuilder";',
    'import { startServer } from "../http/server.ts";',
  ])("catches %s", (source) => {
    expect(boundaryViolations(source)).toHaveLength(1);
  });

  it.each([
    'import { z } from "zod";',
    'import { addBusinessMinutes } from "../sla/business-time.ts";',
    'import type { ChatMessage } from "./chat-message.ts";',
    'import { teamsOfRep } from "../routing/teams-of-rep.ts";',
    'import type { SlaPolicy } from "./sla/sla-policy.ts";',
    "// Slack's chat.postMessage is called by src/slack/, not here",
  ])("lets %s through", (source) => {
    expect(boundaryViolations(source)).toEqual([]);
  });
});
