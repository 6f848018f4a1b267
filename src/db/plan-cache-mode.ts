/**
 * Plans every execution of a cached statement for its own parameters and the tables as they are now. The statements
 * PostgreSQL caches per connection are the foreign-key checks and the SQL inside the KPI and offer-count triggers
 * (Prisma's own statements are planned afresh anyway). Cached after a handful of runs on a new database, when every
 * table is a page or two, their plans read whole tables (a lead's foreign-key check scanned every lead): each MQL
 * then cost more than the one before, 0.6 ms of the intake statement at first and 3 ms after 7,000 MQLs, until an
 * ANALYZE happened to replace the plans (never, on the embedded database, which has no autovacuum). Planning these
 * small statements each time costs microseconds.
 */
export const PLAN_CACHE_MODE = "force_custom_plan";
