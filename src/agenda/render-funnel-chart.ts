/**
 * The agenda's funnel chart as a PNG: each step's count last week beside the average of the four weeks before,
 * with the step-to-step conversion under each label. A Vega-Lite spec compiled by vega-lite, drawn to SVG by vega
 * without a browser (`renderer: "none"`), rasterised by resvg with the system's DejaVu fonts: nothing is
 * downloaded at run time.
 */
import fs from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import type { Agenda } from "../domain/agenda/build-agenda.ts";

const FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"];
const FONT = "DejaVu Sans";

function fontFiles(): string[] {
  for (const dir of FONT_DIRS) {
    const files = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]
      .map((name) => `${dir}/${name}`)
      .filter((file) => fs.existsSync(file));
    if (files.length > 0) return files;
  }
  return [];
}

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** The Vega-Lite spec, kept apart so a test can read what the chart says. */
export function funnelChartSpec(agenda: Agenda): TopLevelSpec {
  const steps = agenda.funnel.steps;
  const labelOf = (index: number) => {
    const step = steps[index];
    if (index === 0) return step.label;
    const previous = steps[index - 1];
    const rate = previous.reviewed > 0 ? percent(step.reviewed / previous.reviewed) : "—";
    const baseRate = previous.baselineAverage > 0 ? percent(step.baselineAverage / previous.baselineAverage) : "—";
    return [step.label, `${rate} (avg ${baseRate})`];
  };
  const values = steps.flatMap((step, index) => [
    { step: index, label: labelOf(index), week: "Last week", count: step.reviewed },
    { step: index, label: labelOf(index), week: "Average of the 4 weeks before", count: step.baselineAverage },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: 520,
    height: 220,
    padding: 12,
    background: "white",
    title: { text: "Funnel: last week against the 4 weeks before", font: FONT, fontSize: 15, anchor: "start" },
    config: { font: FONT, axis: { labelFont: FONT, titleFont: FONT }, legend: { labelFont: FONT } },
    data: { values },
    encoding: {
      x: {
        field: "step",
        type: "ordinal",
        title: null,
        axis: {
          labelAngle: 0,
          labelExpr: `${JSON.stringify(values.filter((_, i) => i % 2 === 0).map((v) => v.label))}[datum.value]`,
          labelFontSize: 11,
          labelLimit: 160,
        },
      },
      xOffset: { field: "week", sort: ["Last week", "Average of the 4 weeks before"] },
      y: { field: "count", type: "quantitative", title: "leads", axis: { grid: true, tickMinStep: 1 } },
      color: {
        field: "week",
        type: "nominal",
        title: null,
        sort: ["Last week", "Average of the 4 weeks before"],
        scale: { range: ["#2f6fb3", "#b9c7d8"] },
        legend: { orient: "top", labelFontSize: 11, labelLimit: 320 },
      },
    },
    layer: [
      { mark: { type: "bar", cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 } },
      {
        mark: { type: "text", dy: -6, fontSize: 10, color: "#333" },
        encoding: { text: { field: "count", type: "quantitative", format: ".3~" }, color: { value: "#333" } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The chart as PNG bytes (about 0.1–0.3 s). `scale` 1 keeps it small enough to travel inside a Teams card as a
 * data URI (about 20 KB); Slack gets the sharper 1.5.
 */
export async function renderFunnelChart(agenda: Agenda, scale = 1.5): Promise<Buffer> {
  // Loaded on first use: the charting libraries are a large share of the server's memory, and most processes
  // (local mode, importers, a replica between Mondays) never draw a chart.
  const [{ Resvg }, vega, { compile }] = await Promise.all([
    import("@resvg/resvg-js"),
    import("vega"),
    import("vega-lite"),
  ]);
  const { spec } = compile(funnelChartSpec(agenda));
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const files = fontFiles();
  const png = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: files.length === 0, fontFiles: files, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
