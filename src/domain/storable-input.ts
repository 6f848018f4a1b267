/**
 * What PostgreSQL cannot store, found before it is asked to: a NUL character (`\u0000`, refused in `text` and
 * `jsonb`), a lone UTF-16 surrogate (not Unicode at all), and JSON nested deeper than any real payload. Such input
 * is the sender's mistake and stays one however often it is retried, so it must be answered "invalid" (400, a
 * form error), never "try again later" (503), which would make a webhook sender retry a poison message forever.
 */

/** Deeper than any CRM, form or marketing-automation payload nests; PostgreSQL's own limit sits far above. */
export const MAX_JSON_DEPTH = 64;

// Without the `u` flag a regex sees UTF-16 code units, so a surrogate without its partner is visible to it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "contains an unpaired UTF-16 surrogate (not valid Unicode)";
  return undefined;
}

/**
 * The first unstorable spot in a parsed JSON value: `{ path, problem }` (path like `notes` or `extra.tags.2`),
 * or undefined when every key and string can be stored and nesting stays within {@link MAX_JSON_DEPTH}.
 */
export function findUnstorableJson(value: unknown): { path: string; problem: string } | undefined {
  // Iterative: a hostile body nested thousands deep must not overflow the stack of the check itself.
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop() as { value: unknown; path: string[] };
    if (typeof current === "string") {
      const problem = unstorableTextReason(current);
      if (problem) return { path: path.join(".") || "body", problem };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      return { path: path.join(".") || "body", problem: `is nested more than ${MAX_JSON_DEPTH} levels deep` };
    }
    for (const [key, child] of Object.entries(current)) {
      const problem = unstorableTextReason(key);
      if (problem) return { path: [...path, "(a field name)"].join("."), problem };
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
