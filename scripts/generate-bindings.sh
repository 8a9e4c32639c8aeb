#!/usr/bin/env bash
# Regenerates the Nethereum bindings (src/MobileAigc.Provenance.Chain/Generated) from the
# compiled contracts. With --check, generates into a scratch folder and fails when the committed
# bindings differ: a contract changed without its bindings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/src/MobileAigc.Provenance.Chain/Generated"

cd "$root/contracts"
node_modules/.bin/forge build --silent

if [[ "${1:-}" == "--check" ]]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  node tools/generate-bindings.cjs out "$scratch/Generated"
  if ! diff -r -q "$scratch/Generated" "$target" >/dev/null; then
    diff -r -q "$scratch/Generated" "$target" || true
    echo "generate-bindings: the C# bindings are stale; run scripts/generate-bindings.sh and commit the result" >&2
    exit 1
  fi
  echo "generate-bindings: bindings are up to date"
else
  node tools/generate-bindings.cjs out "$target"
  echo "generate-bindings: wrote $target"
fi
