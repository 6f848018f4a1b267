/**
 * Only the Microsoft 365 tenants named in MICROSOFT_ALLOWED_TENANTS (by default the app's own) may talk to Baton.
 * A valid Bot Framework token proves the request comes from Teams, not from which organisation: a multi-tenant
 * app can be installed by anyone. Checked before botbuilder runs, so nothing from another tenant is stored (not
 * even its conversation reference).
 */
import type { RequestHandler } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** The tenant an incoming activity names: Teams puts it in `channelData.tenant.id` and `conversation.tenantId`. */
export function tenantOfActivity(activity: unknown): string | undefined {
  const body = activity as { channelData?: { tenant?: { id?: unknown } }; conversation?: { tenantId?: unknown } };
  const tenant = body?.channelData?.tenant?.id ?? body?.conversation?.tenantId;
  return typeof tenant === "string" && tenant ? tenant.toLowerCase() : undefined;
}

/** `allowed` undefined: every tenant is let through. */
export function refuseOtherTenants(allowed: readonly string[] | undefined, logger: Logger): RequestHandler {
  return (req, _res, next) => {
    if (!allowed) return next();
    const tenant = tenantOfActivity(req.body);
    if (tenant && allowed.includes(tenant)) return next();
    const activity = req.body as { type?: unknown } | undefined;
    logger.warn({ tenant: tenant ?? null, activityType: activity?.type }, "Teams activity from a tenant not allowed");
    next(
      new AppError("FORBIDDEN", {
        message: tenant
          ? `Tenant ${tenant} is not allowed to use this bot (MICROSOFT_ALLOWED_TENANTS).`
          : "The activity names no tenant; this bot only serves allowed tenants.",
      }),
    );
  };
}
