/**
 * Slack's request signing, checked strictly (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`.
 * Stricter than Bolt 5.1's verifier, which accepted any version prefix and any timestamp in the future (so a
 * captured request could be replayed for years): here only `v0`, only within 5 minutes either way, and the
 * comparison takes the same time whatever the signature.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
/** Slack's own payloads stay far below this; anything larger is refused before it is read. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;

export type SlackRequestCheck = { ok: true } | { ok: false; reason: string };

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** What Slack would put in X-Slack-Signature for this body (also used by tests to sign like Slack). */
export function signSlackRequest(signingSecret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest("hex")}`;
}

/** The checks that need no body: run first, so a forged or replayed request is refused before it is read. */
export function checkSlackHeaders(input: {
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds: number;
}): SlackRequestCheck {
  if (!input.timestamp || !input.signature) {
    return { ok: false, reason: "X-Slack-Request-Timestamp and X-Slack-Signature are required." };
  }
  if (!TIMESTAMP.test(input.timestamp)) return { ok: false, reason: "X-Slack-Request-Timestamp must be Unix seconds." };
  if (Math.abs(input.nowSeconds - Number(input.timestamp)) > SLACK_SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: "X-Slack-Request-Timestamp is more than 5 minutes off." };
  }
  if (!SIGNATURE.test(input.signature)) return { ok: false, reason: "X-Slack-Signature must be v0=<64 hex digits>." };
  return { ok: true };
}

export function verifySlackRequest(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): SlackRequestCheck {
  const headers = checkSlackHeaders(input);
  if (!headers.ok) return headers;
  const expected = Buffer.from(signSlackRequest(input.signingSecret, input.timestamp as string, input.rawBody));
  const given = Buffer.from(input.signature as string);
  // Both are "v0=" + 64 hex digits here (checked above), so the lengths match and timingSafeEqual cannot throw.
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: "X-Slack-Signature does not match." };
}
