/** The scheduled outbox pass: one at a time, and nothing but the JSON logger writes to the console. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

describe("scheduled jobs", () => {
  let t: TestBaton | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.stop();
  });

  it("skips a tick while the previous outbox pass runs, without node-cron's console warnings", async () => {
    t = await startTestBaton();
    const consoleWrites = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    let release: () => void = () => undefined;
    const held = new Promise<number>((resolve) => {
      release = () => resolve(0);
    });
    const passes = vi.spyOn(t.baton.outbox, "runOnce").mockImplementationOnce(() => held);
    t.baton.startJobs();
    await vi.waitFor(() => expect(passes).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    // Several ticks go by while the first pass is held: node-cron's own guard would print a line for each.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(passes).toHaveBeenCalledTimes(1);
    release();
    await vi.waitFor(() => expect(passes.mock.calls.length).toBeGreaterThan(1), { timeout: 5_000 });
    await t.baton.stopJobs();
    expect(consoleWrites.flatMap((spy) => spy.mock.calls)).toEqual([]);
  });
});
