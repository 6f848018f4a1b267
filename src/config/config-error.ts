import type { z } from "zod";

/** A configuration problem that must stop start-up; its message is one line naming the culprit. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** `teams[1].timezone` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** One line for one zod issue; the value is never echoed, since it may be a secret. */
export function describeIssue(issue: z.core.$ZodIssue, name: (path: readonly PropertyKey[]) => string = formatPath) {
  const where = issue.path.length ? name(issue.path) : "(root)";
  return `${where}: ${issue.message}`;
}
