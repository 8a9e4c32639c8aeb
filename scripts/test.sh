#!/usr/bin/env bash
# Runs every test from a fresh machine: set-up, the forge tests of the contracts (unit, fuzz,
# invariant, gas), the check that the C# bindings match the contracts, and every .NET test
# project (unit tests and integration tests against a real anvil; scripts/dotnet-tests.sh runs them
# slowest first, DOTNET_TEST_JOBS at once). Ends with one summary line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

"$root/scripts/bootstrap.sh"

echo "== forge test (contracts)"
(cd "$root/contracts" && node_modules/.bin/forge test) | tee "$log/forge.txt"

echo "== bindings"
"$root/scripts/generate-bindings.sh" --check

echo "== dotnet test"
status=0
"$root/scripts/dotnet-tests.sh" 2>&1 | tee "$log/dotnet.txt" || status=$?

forge_passed=$(grep -oE '[0-9]+ tests passed' "$log/forge.txt" | tail -1 | grep -oE '^[0-9]+' || echo 0)
forge_failed=$(grep -oE '[0-9]+ failed, [0-9]+ skipped \([0-9]+ total tests\)' "$log/forge.txt" | tail -1 | grep -oE '^[0-9]+' || echo 0)
dotnet_passed=$(grep -oE 'Passed: +[0-9]+' "$log/dotnet.txt" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
dotnet_failed=$(grep -oE 'Failed: +[0-9]+' "$log/dotnet.txt" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
dotnet_skipped=$(grep -oE 'Skipped: +[0-9]+' "$log/dotnet.txt" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')

echo "tests: $((forge_passed + dotnet_passed)) passed, $((forge_failed + dotnet_failed)) failed, ${dotnet_skipped:-0} skipped"
if [ "$status" -ne 0 ] && [ "$((forge_failed + dotnet_failed))" -eq 0 ]; then
    # The counts come from the captured output; when dotnet test fails without a failed test
    # (a crashed test host, a full disk cutting the capture short) the line above undercounts.
    echo "dotnet test exited with $status: see its output above"
fi
exit "$status"
