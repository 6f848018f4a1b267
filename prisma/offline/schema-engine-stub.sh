#!/bin/sh
# Stand-in for Prisma's native schema-engine (not downloadable offline). Fails loudly if any CLI command tries to use it.
echo "schema-engine is not available offline: use 'npm run db:*' (scripts/migrate.mjs) instead of prisma migrate/db" >&2
exit 1
