/**
 * The playground in a real browser (the system's Chromium, driven by playwright-core): send an MQL, see its card,
 * accept it as a rep and see the card change in the Slack and the Teams view; reject another with a reason through
 * the reject form; run `/baton help`. `BATON_SCREENSHOT=docs/playground.png` also saves the page afterwards
 * (`npm run docs:screenshot`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

const CHROMIUM = "/usr/bin/chromium";
const installed = fs.existsSync(CHROMIUM);
if (!installed && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);

/** Long enough for a busy two-core machine; each wait ends as soon as its condition holds. */
const WAIT = { timeout: 30_000 };

describe.skipIf(!installed)("playground in a browser", () => {
  let baton: TestBaton;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // The example configuration, with every team working around the clock: the round-robin suggests a rep
    // whenever the test runs, so the page (and the screenshot) look the same at any hour.
    const example = loadBatonConfig(EXAMPLE_CONFIG_PATH);
    const allWeek = { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "00:00", end: "24:00" } as const;
    baton = await startTestBaton({
      batonConfig: {
        ...example,
        teams: example.teams.map((team) => ({ ...team, workingHours: { ...allWeek, days: [...allWeek.days] } })),
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(baton.url);
  });

  afterAll(async () => {
    await browser?.close();
    await baton?.stop();
  });

  const pane = (conversation: string) => page.locator(`.pane[data-conversation="${conversation}"]`);
  /** The new card for `person`, pinned by its element id: its header changes once the lead is decided. */
  async function cardOf(conversation: string, person: string): Promise<Locator> {
    const card = pane(conversation).locator("article", {
      has: page.getByRole("heading", { name: `New lead: ${person}` }),
    });
    await card.waitFor(WAIT);
    return page.locator(`#${await card.getAttribute("id")}`);
  }
  const view = (name: "Slack" | "Microsoft Teams") => page.getByRole("radio", { name }).check();

  async function sendSample(label: string) {
    await page.getByLabel("Sample").selectOption({ label });
    await page.getByRole("button", { name: "Send MQL" }).click();
    await expect.poll(() => page.locator("#mql-result").textContent(), WAIT).toMatch(/^202: lead .* created\.$/);
  }

  it("shows every configured conversation, the reps to act as, and no script errors", async () => {
    const channels = await page.locator("#channel-list .channel").allTextContents();
    expect(channels.map((text) => text.replace(/\s+/g, " ").trim())).toEqual([
      "# EMEA Sales",
      "# North America Sales",
      "# Inside Sales",
      "# Demand Gen",
      "# Escalations",
      "# Weekly agenda",
    ]);
    expect(await page.locator("#actor option").allTextContents()).toContain("Grace Hopper (grace)");
    expect(pageErrors).toEqual([]);
  });

  it("sends an MQL, shows its card live, and accepts it as a rep in both views", async () => {
    await sendSample("EMEA mid-market (rule emea-mid-market)");
    const card = await cardOf("console:emea-sales", "Ada Lovelace");
    await expect.poll(() => pane("console:emea-sales").isVisible()).toBe(true);
    const slackAccept = card.locator(".slack-view").getByRole("button", { name: "Accept" });
    expect(await slackAccept.isVisible()).toBe(true);

    await view("Microsoft Teams");
    // Microsoft's renderer drew the Teams adapter's card, buttons included.
    expect(await card.locator(".teams-view .ac-adaptiveCard").count()).toBe(1);
    expect(await card.locator(".teams-view").getByRole("button", { name: "Accept" }).isVisible()).toBe(true);

    await view("Slack");
    await page.getByLabel("Act as").selectOption("ada");
    await slackAccept.click();
    await expect.poll(() => card.locator(".slack-view").textContent(), WAIT).toContain("Accepted by Ada Lovelace");
    expect(await card.locator(".slack-view").getByRole("button", { name: "Accept" }).count()).toBe(0);
    expect(await card.locator(".message-meta").textContent()).toContain("edited");

    await view("Microsoft Teams");
    const teamsCard = card.locator(".teams-view");
    expect(await teamsCard.isVisible()).toBe(true);
    expect(await teamsCard.textContent()).toContain("Accepted by Ada Lovelace");
    // Bold as Teams shows it, not the card's markdown.
    expect(await teamsCard.locator("strong", { hasText: "Accepted by Ada Lovelace" }).count()).toBe(1);
    expect(await teamsCard.textContent()).not.toContain("**");
    expect(await teamsCard.getByRole("button", { name: "Accept" }).count()).toBe(0);
    await view("Slack");

    // Ada got the "you own it" direct message, listed as it arrived.
    const direct = page.locator("#direct-list .channel", { hasText: "Ada Lovelace" });
    await direct.waitFor(WAIT);
    await direct.click();
    await expect.poll(() => pane("console:ada").textContent(), WAIT).toContain("You own Ada Lovelace");
  });

  it("refuses a rep outside the team, as Slack would (only to them)", async () => {
    await sendSample("Hot small lead (rule hot-inbound)");
    const card = await cardOf("console:inside-sales", "Margaret Hamilton");
    await page.getByLabel("Act as").selectOption("ada");
    await card.locator(".slack-view").getByRole("button", { name: "Accept" }).click();
    await expect
      .poll(() => page.locator("#notice").textContent(), WAIT)
      .toMatch(/^Only visible to you: .*Inside Sales/);
    expect(await card.locator(".slack-view").textContent()).not.toContain("Accepted by");
  });

  it("rejects another lead with a reason through the reject form", async () => {
    await sendSample("US enterprise (rule na-enterprise)");
    const card = await cardOf("console:na-sales", "Grace Hopper");
    await page.getByLabel("Act as").selectOption("grace");
    await card.locator(".slack-view").getByRole("button", { name: "Reject" }).click();

    const dialog = page.getByRole("dialog", { name: "Reject lead" });
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel("Reason").selectOption({ label: "Other" });
    await dialog.getByRole("button", { name: "Reject" }).click();
    // "Other" needs a comment: the handoff says so, and the form stays open.
    await expect.poll(() => dialog.locator("#reject-comment-error").textContent(), WAIT).not.toBe("");
    expect(await dialog.isVisible()).toBe(true);

    await dialog.getByLabel("Reason").selectOption({ label: "Not a fit" });
    await dialog.getByLabel("Comment").fill("Public sector, no budget this year");
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(false);
    await expect
      .poll(() => card.locator(".slack-view").textContent(), WAIT)
      .toMatch(/Rejected by Grace Hopper.*Not a fit/);

    await view("Microsoft Teams");
    expect(await card.locator(".teams-view").textContent()).toMatch(/Rejected by Grace Hopper.*Not a fit/);
    await view("Slack");

    // Marketing hears why, in its own channel.
    await page.locator("#channel-list .channel", { hasText: "Demand Gen" }).click();
    await expect
      .poll(() => pane("console:marketing").textContent(), WAIT)
      .toContain("Public sector, no budget this year");
  });

  it("rejects on the Teams card's own form", async () => {
    await sendSample("Named account (owned by Ada)");
    const card = await cardOf("console:emea-sales", "Charles Babbage");
    await view("Microsoft Teams");
    await page.getByLabel("Act as").selectOption("ada");
    const teamsCard = card.locator(".teams-view");
    await teamsCard.getByRole("button", { name: "Reject" }).click();
    await teamsCard.getByRole("button", { name: "Reject lead" }).waitFor(WAIT);
    await teamsCard.getByRole("combobox").selectOption({ label: "Duplicate" });
    await teamsCard.getByRole("button", { name: "Reject lead" }).click();
    await expect.poll(() => teamsCard.textContent(), WAIT).toMatch(/Rejected by Ada Lovelace.*Duplicate/);
    await view("Slack");
    expect(await card.locator(".slack-view").textContent()).toMatch(/Rejected by Ada Lovelace.*Duplicate/);
  });

  it("runs /baton help", async () => {
    await page.getByLabel("Type what follows /baton").fill("help");
    await page.getByRole("button", { name: "Run" }).click();
    await expect.poll(() => page.locator("#command-result").textContent(), WAIT).toContain("accept <lead id> as <rep>");
  });

  it("ends with a page worth a screenshot", async () => {
    await page.locator("#channel-list .channel", { hasText: "EMEA Sales" }).click();
    await page.getByRole("button", { name: "Route it" }).click();
    await expect.poll(() => page.locator("#route-result").textContent(), WAIT).toContain("rule: emea-mid-market");
    expect(pageErrors).toEqual([]);
    const target = process.env.BATON_SCREENSHOT ?? path.join(os.tmpdir(), "baton-playground.png");
    await page.screenshot({ path: target, fullPage: false });
    expect(fs.statSync(target).size).toBeGreaterThan(10_000);
    // …and the same conversation as Microsoft Teams shows it.
    await view("Microsoft Teams");
    const teamsTarget = target.replace(/\.png$/, "-teams.png");
    await page.screenshot({ path: teamsTarget, fullPage: false });
    expect(fs.statSync(teamsTarget).size).toBeGreaterThan(10_000);
  });
});
