#!/usr/bin/env bash
# Everything the two commands need on a fresh machine: the contract tooling from npm (forge,
# anvil, solc-js, OpenZeppelin) and the .NET build. Safe to run again: npm ci only when the lock
# file changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v node >/dev/null || { echo "bootstrap: node (20+) is required" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "bootstrap: the .NET SDK (see global.json) is required" >&2; exit 1; }

cd "$root/contracts"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

cd "$root"
dotnet build MobileAigc.Provenance.sln --nologo -clp:ErrorsOnly -v:quiet
