#!/usr/bin/env bash
# Runs the .NET test projects (already built), the slowest first, at most DOTNET_TEST_JOBS at once (default 2, the
# cores of the CI machine). Each project's output is printed whole when it ends, so that parallel runs do not
# interleave. Exits non-zero when any project fails.
#
#   scripts/dotnet-tests.sh              every *.Tests project of the solution
#   scripts/dotnet-tests.sh Core Chain   only MobileAigc.Provenance.Core.Tests and ...Chain.Tests
#
# Why an order: `dotnet test` on the solution started the projects in the solution's order, two at a time, so the
# ledger suite (the longest by far) started minutes late and the run's wall time was those minutes plus the ledger's.
# Longest first keeps the two lanes even.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${DOTNET_TEST_JOBS:-2}"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "dotnet-tests: DOTNET_TEST_JOBS must be a positive number, not '$jobs'" >&2; exit 2; }

# Slowest first, from the per-suite times in docs/performance.md ("Test run time"); a project not named here
# (a new one) runs after these.
slowest_first=(Ledger Cli EdgeNode Chain Watermarking Training Credentials Testing Imaging Generation)

mapfile -t all < <(cd "$root" && dotnet sln MobileAigc.Provenance.sln list | grep -E '\.Tests\.csproj$' | sort)
suite_of() { basename "$1" .csproj | sed -e 's/^MobileAigc\.Provenance\.//' -e 's/\.Tests$//'; }

wanted=("$@")
projects=()
add() { for p in "${projects[@]+"${projects[@]}"}"; do [[ "$p" == "$1" ]] && return; done; projects+=("$1"); }
for name in "${slowest_first[@]}"; do
  for p in "${all[@]}"; do [[ "$(suite_of "$p")" == "$name" ]] && add "$p"; done
done
for p in "${all[@]}"; do add "$p"; done
if ((${#wanted[@]})); then
  chosen=()
  for w in "${wanted[@]}"; do
    found=""
    for p in "${projects[@]}"; do [[ "$(suite_of "$p")" == "$w" ]] && { chosen+=("$p"); found=1; }; done
    [[ -n "$found" ]] || { echo "dotnet-tests: no test project named '$w' (MobileAigc.Provenance.$w.Tests)" >&2; exit 2; }
  done
  projects=("${chosen[@]}")
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

run_one() {
  local project="$1" name started status=0
  name="$(suite_of "$project")"
  started=$SECONDS
  dotnet test "$root/$project" --no-build --nologo >"$logs/$name.txt" 2>&1 || status=$?
  {
    flock 9
    echo "-- $name ($((SECONDS - started)) s, exit $status)"
    cat "$logs/$name.txt"
  } 9>"$logs/.print-lock"
  return "$status"
}

status=0
running=0
for project in "${projects[@]}"; do
  if ((running >= jobs)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_one "$project" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
