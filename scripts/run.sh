#!/usr/bin/env bash
# The main job on embedded defaults: sets everything up on a fresh machine, starts a managed
# local anvil, deploys the contracts and runs the round trip (provenance demo). Extra arguments
# go to `provenance demo` (try --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/bootstrap.sh"
cd "$root"
exec dotnet run --project src/MobileAigc.Provenance.Cli --no-build -- demo "$@"
