/** The funnel chart: a real PNG (signature, size, dimensions) drawn from the agenda's funnel without a browser. */
import fs from "node:fs";
import { expect, it } from "vitest";
import { funnelChartSpec, renderFunnelChart } from "../../src/agenda/render-funnel-chart.ts";
import type { Agenda } from "../../src/domain/agenda/build-agenda.ts";

const CHART_AGENDA = {
  weekStart: "2026-11-23",
  funnel: {
    steps: [
      { key: "mqls", label: "MQLs", reviewed: 51, baselineAverage: 40 },
      { key: "accepted", label: "Accepted", reviewed: 45, baselineAverage: 33.3 },
      { key: "touched", label: "First touch", reviewed: 43, baselineAverage: 30.8 },
      { key: "sqls", label: "SQL", reviewed: 13, baselineAverage: 11.5 },
      { key: "won", label: "Won", reviewed: 5, baselineAverage: 6.3 },
    ],
  },
} as Agenda;

it("renders the funnel as a PNG with the conversion under each step", async () => {
  const png = await renderFunnelChart(CHART_AGENDA);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.length).toBeGreaterThan(5_000);
  expect(png.length).toBeLessThan(60_000);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(width).toBeGreaterThan(600);
  expect(height).toBeGreaterThan(300);
  const labels = JSON.stringify(funnelChartSpec(CHART_AGENDA));
  expect(labels).toContain('["Accepted","88 % (avg 83 %)"]');
  expect(labels).toContain('["Won","38 % (avg 55 %)"]');
  // `npm run docs:agenda-chart` re-draws the chart the README shows.
  if (process.env.BATON_AGENDA_CHART) fs.writeFileSync(process.env.BATON_AGENDA_CHART, png);
});
