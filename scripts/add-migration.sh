#!/usr/bin/env bash
# Adds an EF Core migration for every database provider of the ledger, after a change to
# src/MobileAigc.Provenance.Ledger/Storage. Usage: scripts/add-migration.sh <Name>
# The migrations are generated code: they live under Generated/Migrations/<Provider> and are
# never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/add-migration.sh <MigrationName>}"
project=src/MobileAigc.Provenance.Ledger
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  dotnet tool run dotnet-ef migrations add "$name" \
    --project "$project" --context "${provider}LedgerDbContext" \
    --output-dir "Generated/Migrations/$provider"
done
