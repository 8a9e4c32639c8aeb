#!/usr/bin/env bash
# The main job on embedded defaults: sets everything up on a fresh machine (the bootstrap builds
# the solution, so the CLI and both service hosts are built), starts a managed local anvil, deploys
# the contracts, starts the edge node and the ledger from their build outputs as their own
# processes and runs the round trip (provenance demo). Extra arguments go to `provenance demo`
# (try --help).
#
# scripts/run.sh --serve: the same round trip, then anvil (port 8545), the ledger (8080) and the
# edge node (8081) stay up, and the demo prints the web page, the API reference, the node, the
# deployment file, every actor's keystore and commands for a second terminal, until Ctrl-C or
# SIGTERM stops them all. Its data stays in --out (default data/demo); the next --serve start
# wipes node/, ledger/ and keys/ there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/bootstrap.sh"
cd "$root"
# The CLI's build output run as this very process (not as a child of `dotnet run`): Ctrl-C and
# SIGTERM reach the demo itself, which stops every process it started.
exec dotnet "$root/src/MobileAigc.Provenance.Cli/bin/Debug/net10.0/provenance.dll" demo "$@"
