/**
 * Request signatures for the intake webhooks. Baton's own scheme mirrors Slack's:
 * `X-Baton-Signature: v1=<hex HMAC-SHA256(secret, "v1:" + X-Baton-Timestamp + ":" + raw body)>`, 5-minute window.
 * HubSpot's v3 scheme is checked too when its client secret is configured.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The header value a sender must put in X-Baton-Signature. */
export function signBatonRequest(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `v1=${createHmac("sha256", secret).update(`v1:${timestamp}:`).update(rawBody).digest("hex")}`;
}

export function verifyBatonSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): SignatureCheck {
  if (!input.timestamp || !input.signature) {
    return { ok: false, reason: "X-Baton-Timestamp and X-Baton-Signature headers are required." };
  }
  if (!/^\d+$/.test(input.timestamp)) return { ok: false, reason: "X-Baton-Timestamp must be Unix seconds." };
  if (Math.abs(input.nowSeconds - Number(input.timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: "X-Baton-Timestamp is more than 5 minutes off: check the sender's clock." };
  }
  const expected = signBatonRequest(input.secret, input.timestamp, input.rawBody);
  return safeEqual(expected, input.signature)
    ? { ok: true }
    : { ok: false, reason: "X-Baton-Signature does not match." };
}

/** HubSpot's v3 request signature: base64 HMAC-SHA256 of method + URI + body + timestamp (ms). */
export function signHubspotV3(clientSecret: string, method: string, uri: string, rawBody: string, timestampMs: string) {
  return createHmac("sha256", clientSecret).update(`${method}${uri}${rawBody}${timestampMs}`).digest("base64");
}

/** HubSpot signs the URI with these characters decoded (its v3 validation guide lists them). */
const HUBSPOT_DECODED: Record<string, string> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

export function hubspotCanonicalUri(uri: string): string {
  return uri.replace(/%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (code) => HUBSPOT_DECODED[code.toUpperCase()]);
}

export function verifyHubspotV3(input: {
  clientSecret: string;
  signature: string | undefined;
  timestampMs: string | undefined;
  method: string;
  uri: string;
  rawBody: Buffer;
  nowMs: number;
}): SignatureCheck {
  if (!input.signature || !input.timestampMs || !/^\d+$/.test(input.timestampMs)) {
    return { ok: false, reason: "X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp headers are required." };
  }
  if (Math.abs(input.nowMs - Number(input.timestampMs)) > SIGNATURE_TOLERANCE_SECONDS * 1000) {
    return { ok: false, reason: "X-HubSpot-Request-Timestamp is more than 5 minutes off." };
  }
  const expected = signHubspotV3(
    input.clientSecret,
    input.method.toUpperCase(),
    hubspotCanonicalUri(input.uri),
    input.rawBody.toString("utf8"),
    input.timestampMs,
  );
  return safeEqual(expected, input.signature)
    ? { ok: true }
    : { ok: false, reason: "X-HubSpot-Signature-v3 does not match." };
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return plain === "::1" || /^127\.\d+\.\d+\.\d+$/.test(plain);
}
