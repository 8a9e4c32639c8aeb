#!/usr/bin/env bash
# Everything the two commands need on a fresh machine: the contract tooling from npm (forge,
# anvil, solc-js, OpenZeppelin), the official C2PA SDK from npm (the tests' reference reader and
# signer), headless Chromium from Debian and the .NET build. Safe to run
# again: npm ci only when the lock file changed since the last install, apt-get only when
# Chromium is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v node >/dev/null || { echo "bootstrap: node (20+) is required" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "bootstrap: the .NET SDK (see global.json) is required" >&2; exit 1; }

cd "$root/contracts"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The C2PA SDK is c2pa-rs compiled to wasm: its package ships the module, and its install scripts
# (which would download things) must not run.
cd "$root/tools/c2pa-sdk"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi

# Headless Chromium for the ledger's browser tests: Playwright drives this system browser and
# never downloads its own. A fresh machine's package lists may be empty, so they are refreshed
# only when the install cannot find the package without it.
if [[ ! -x /usr/bin/chromium ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi

# Debian's docker-compose (1.29): the tests validate docker-compose.yml with `docker-compose config`,
# which needs no Docker engine. Installed the same way as Chromium: as root, only when missing.
if ! command -v docker-compose >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
fi

cd "$root"
dotnet build MobileAigc.Provenance.sln --nologo -clp:ErrorsOnly -v:quiet
