/**
 * The embedded database plans every execution of a cached statement for its own parameters and the tables as they
 * are now. The statements PostgreSQL caches per connection are the foreign-key checks and the SQL inside the KPI and
 * offer-count triggers (Prisma's own statements are planned afresh anyway). Cached after a handful of runs on a new
 * database, when every table is a page or two, their plans read whole tables (a lead's foreign-key check scanned
 * every lead): each MQL then cost more than the one before, 0.6 ms of the intake statement at first and 3 ms after
 * 7,000 MQLs. PostgreSQL's autovacuum soon analyzes the growing tables, which replaces those plans; PGlite has no
 * autovacuum, so they would stay for the life of the process. On PostgreSQL the default is kept: planning each
 * execution cost more CPU per MQL there than the first minute of bad plans (bench/README.md).
 */
export const PLAN_CACHE_MODE = "force_custom_plan";
