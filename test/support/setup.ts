/**
 * Test-wide defaults. `vi.waitFor` waits for work a request started in the background (Bolt acks first, then
 * works); its 1 s default is a timing assumption that fails on a busy 2-core machine, so the default is raised.
 * This bounds a wait, it measures nothing.
 */
import { vi } from "vitest";

const waitFor = vi.waitFor;
vi.waitFor = ((callback: Parameters<typeof waitFor>[0], options?: Parameters<typeof waitFor>[1]) =>
  waitFor(
    callback,
    typeof options === "number" ? options : { timeout: 20_000, interval: 50, ...options },
  )) as typeof waitFor;
