/**
 * The read API's guard (CONTRACT.md "Read API"): every request carries `Authorization: Bearer <BATON_API_TOKEN>`;
 * missing or wrong → 401. Compared in constant time so the token cannot be guessed a byte at a time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../errors.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    if (match && timingSafeEqual(digest(match[1]), expected)) return next();
    res.set("WWW-Authenticate", 'Bearer realm="baton"');
    next(
      new AppError("UNAUTHORIZED", {
        message: match ? "The bearer token is wrong." : "Send Authorization: Bearer <BATON_API_TOKEN>.",
      }),
    );
  };
}
