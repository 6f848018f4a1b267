import { describe, expect, it } from "vitest";
import {
  hubspotCanonicalUri,
  isLoopback,
  signBatonRequest,
  signHubspotV3,
  verifyBatonSignature,
  verifyHubspotV3,
} from "../../src/intake/verify-signature.ts";

const NOW = 1_795_000_000;
const body = Buffer.from('{"source":"hubspot","externalId":"1","email":"a@b.example"}');

describe("verifyBatonSignature", () => {
  const check = (overrides: Partial<Parameters<typeof verifyBatonSignature>[0]>) =>
    verifyBatonSignature({
      secret: "s3cret",
      timestamp: String(NOW),
      signature: signBatonRequest("s3cret", NOW, body),
      rawBody: body,
      nowSeconds: NOW,
      ...overrides,
    });

  it.each([
    ["a correct signature", {}, true],
    ["4 minutes 59 s of clock skew either way", { nowSeconds: NOW + 299 }, true],
    ["a timestamp 6 minutes old", { nowSeconds: NOW + 360 }, false],
    ["a timestamp 6 minutes ahead", { nowSeconds: NOW - 360 }, false],
    ["another secret", { secret: "other" }, false],
    ["a changed body", { rawBody: Buffer.from(`${body} `) }, false],
    ["a truncated signature", { signature: signBatonRequest("s3cret", NOW, body).slice(0, 20) }, false],
    ["no signature", { signature: undefined }, false],
    ["a timestamp that is not Unix seconds", { timestamp: "2026-11-25T10:00:00Z" }, false],
  ])("%s", (_name, overrides, ok) => {
    expect(check(overrides).ok).toBe(ok);
  });
});

describe("verifyHubspotV3", () => {
  it("decodes the characters HubSpot decodes before signing, and checks the 5-minute window", () => {
    expect(hubspotCanonicalUri("https://h.example/webhooks/mql/hubspot?a=%3A%2f%40%20")).toBe(
      "https://h.example/webhooks/mql/hubspot?a=:/@%20",
    );
    const nowMs = NOW * 1000;
    const signed = "https://h.example/webhooks/mql/hubspot?portal=1:2";
    const signature = signHubspotV3("app-secret", "POST", signed, body.toString(), String(nowMs));
    const verify = (uri: string, at = nowMs) =>
      verifyHubspotV3({
        clientSecret: "app-secret",
        signature,
        timestampMs: String(nowMs),
        method: "post",
        uri,
        rawBody: body,
        nowMs: at,
      });
    expect(verify("https://h.example/webhooks/mql/hubspot?portal=1%3A2").ok).toBe(true);
    expect(verify("https://h.example/webhooks/mql/hubspot?portal=1%3A3").ok).toBe(false);
    expect(verify(signed, nowMs + 301_000)).toEqual({ ok: false, reason: expect.stringContaining("5 minutes") });
  });
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.10.0.3", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["::ffff:203.0.113.5", false],
    ["1127.0.0.1", false],
    [undefined, false],
  ])("%s → %s", (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
