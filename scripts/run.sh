#!/usr/bin/env bash
# The main job on embedded defaults: sets everything up on a fresh machine (the bootstrap builds
# the solution, so the CLI and both service hosts are built), starts a managed local anvil, deploys
# the contracts, starts the edge node and the ledger from their build outputs as their own
# processes and runs the round trip (provenance demo). Extra arguments go to `provenance demo`
# (try --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/bootstrap.sh"
cd "$root"
exec dotnet run --project src/MobileAigc.Provenance.Cli --no-build -- demo "$@"
