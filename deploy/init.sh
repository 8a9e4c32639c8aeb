#!/usr/bin/env bash
# The one-shot initialisation of a deployment, as `docker compose up` runs it (service `init`) and as
# anyone can run it on plain processes: every path and URL below comes from a variable with the
# container's value as default. Idempotent: each step first reads what exists (files, the chain) and
# does only what is missing, so a second run creates nothing and sends no transaction.
#
#   deploy/init.sh secrets   only the secret files (passphrases, admin key, database password):
#                            the step PostgreSQL waits for, since its first start sets the password
#   deploy/init.sh [all]     the secrets, then keystores, funding (dev chain), the contracts (or a
#                            given deployment file), the models, the node, the node's approval and
#                            the ledger's anchorer
#
# See docs/deployment.md.
set -euo pipefail

# The CLI, as a command line (word-split): the image's `provenance`, or e.g. "dotnet path/provenance.dll".
PROVENANCE_CLI="${PROVENANCE_CLI:-provenance}"
RPC_URL="${RPC_URL:-http://chain:8545}"
MODELS_DIR="${MODELS_DIR:-/models}"
# Volumes, one per reader: the operator's keys (init only), the deployment file (read by all), the
# ledger's secrets, PostgreSQL's copy of the database password, the node's data folder.
OPERATOR_DIR="${OPERATOR_DIR:-/var/lib/provenance/operator}"
DEPLOYMENT_DIR="${DEPLOYMENT_DIR:-/var/lib/provenance/deployment}"
LEDGER_SECRETS_DIR="${LEDGER_SECRETS_DIR:-/var/lib/provenance/ledger-secrets}"
POSTGRES_SECRETS_DIR="${POSTGRES_SECRETS_DIR:-/var/lib/provenance/postgres-secrets}"
NODE_DATA_DIR="${NODE_DATA_DIR:-/var/lib/provenance/node}"
# A deployment file to use instead of deploying (its contracts must be on RPC_URL's chain).
GIVEN_DEPLOYMENT_FILE="${GIVEN_DEPLOYMENT_FILE:-}"
# 1 on a development chain (anvil): fund accounts with anvil_setBalance, mine the blocks a model
# commitment must age, cheap keystore KDF. 0 on a real chain: fund the printed addresses yourself.
DEV_CHAIN="${DEV_CHAIN:-1}"
FUND_ETHER="${FUND_ETHER:-100}"
FUND_WHEN_BELOW_ETHER="${FUND_WHEN_BELOW_ETHER:-10}"
MODEL_PRICE_WEI="${MODEL_PRICE_WEI:-0}"
MODEL_ROYALTY_BPS="${MODEL_ROYALTY_BPS:-0}"
# The node's public URL to advertise in the registry (empty: none); NODE_ENDPOINT_ALLOW_LOCAL=1 for a
# loopback or private address on a local network.
NODE_ENDPOINT="${NODE_ENDPOINT:-}"
NODE_ENDPOINT_ALLOW_LOCAL="${NODE_ENDPOINT_ALLOW_LOCAL:-0}"

read -r -a cli <<<"$PROVENANCE_CLI"
deployment="$DEPLOYMENT_DIR/deployment.json"

# Progress on stderr: stdout of a function is its value (an address).
say() { printf 'init: %s\n' "$*" >&2; }
fail() { printf 'init: %s\n' "$*" >&2; exit 1; }
provenance() { "${cli[@]}" "$@"; }

# 24 random bytes as hex: coreutils only (the runtime image has no openssl).
random_hex() { od -An -N"${1:-24}" -tx1 /dev/urandom | tr -d ' \n'; }

# Writes a new secret file 0600 unless it exists; never replaces one.
new_secret() {
  local file="$1" bytes="${2:-24}"
  if [[ -s "$file" ]]; then
    return 0
  fi
  (umask 077 && printf '%s' "$(random_hex "$bytes")" >"$file.tmp" && mv "$file.tmp" "$file")
  say "created $file"
}

make_dirs() {
  local dir
  for dir in "$@"; do
    mkdir -p "$dir"
    chmod 0700 "$dir" 2>/dev/null || true
  done
}

secrets() {
  make_dirs "$OPERATOR_DIR" "$LEDGER_SECRETS_DIR" "$NODE_DATA_DIR"
  mkdir -p "$POSTGRES_SECRETS_DIR" "$DEPLOYMENT_DIR"
  new_secret "$OPERATOR_DIR/operator.passphrase"
  new_secret "$OPERATOR_DIR/model-owner.passphrase"
  new_secret "$LEDGER_SECRETS_DIR/anchorer.passphrase"
  new_secret "$LEDGER_SECRETS_DIR/admin.key" 32
  new_secret "$LEDGER_SECRETS_DIR/database.password"
  new_secret "$NODE_DATA_DIR/passphrase"
  # PostgreSQL runs as its own user (uid 999 in the official image): its copy of the password is
  # world-readable inside a volume only the postgres service and this step mount.
  if [[ ! -s "$POSTGRES_SECRETS_DIR/password" ]]; then
    cp "$LEDGER_SECRETS_DIR/database.password" "$POSTGRES_SECRETS_DIR/password.tmp"
    chmod 0444 "$POSTGRES_SECRETS_DIR/password.tmp"
    mv "$POSTGRES_SECRETS_DIR/password.tmp" "$POSTGRES_SECRETS_DIR/password"
    say "created $POSTGRES_SECRETS_DIR/password (PostgreSQL's copy of the ledger's database password)"
  elif ! cmp -s "$POSTGRES_SECRETS_DIR/password" "$LEDGER_SECRETS_DIR/database.password"; then
    fail "$POSTGRES_SECRETS_DIR/password differs from $LEDGER_SECRETS_DIR/database.password; reset both volumes (docs/deployment.md)"
  fi
}

# keystore FILE PASSPHRASE_FILE: creates the keystore unless it exists; prints its address.
keystore() {
  local file="$1" passphrase="$2" light=()
  if [[ ! -s "$file" ]]; then
    [[ "$DEV_CHAIN" == 1 ]] && light=(--light-kdf)
    provenance keystore new --out "$file" --passphrase-file "$passphrase" "${light[@]}" >/dev/null
    say "created keystore $file"
  fi
  provenance keystore address "$file"
}

models() {
  local model
  for model in "$MODELS_DIR"/*/model.onnx; do
    if [[ -f "$model" ]]; then printf '%s\n' "$model"; fi
  done
}

deploy() {
  if [[ -s "$deployment" ]]; then
    say "deployment file $deployment exists: using it"
  elif [[ -n "$GIVEN_DEPLOYMENT_FILE" ]]; then
    [[ -s "$GIVEN_DEPLOYMENT_FILE" ]] || fail "GIVEN_DEPLOYMENT_FILE: no file at '$GIVEN_DEPLOYMENT_FILE'"
    cp "$GIVEN_DEPLOYMENT_FILE" "$deployment.tmp" && mv "$deployment.tmp" "$deployment"
    say "using the given deployment file $GIVEN_DEPLOYMENT_FILE"
  else
    provenance deploy --rpc "$RPC_URL" --keystore "$OPERATOR_DIR/operator.json" \
      --passphrase-file "$OPERATOR_DIR/operator.passphrase" --out "$deployment"
  fi
  chmod 0644 "$deployment"
}

register_models() {
  local model shown dev_mine=()
  [[ "$DEV_CHAIN" == 1 ]] && dev_mine=(--dev-mine)
  while read -r model; do
    if shown="$(provenance model show --deployment "$deployment" --rpc "$RPC_URL" --model "$model" 2>&1)"; then
      say "registered already: ${shown%%,*} ($model)"
    elif [[ "$shown" == *ModelNotRegistered* ]]; then
      provenance model register --deployment "$deployment" --rpc "$RPC_URL" \
        --keystore "$OPERATOR_DIR/model-owner.json" --passphrase-file "$OPERATOR_DIR/model-owner.passphrase" \
        --model "$model" --price "$MODEL_PRICE_WEI" --royalty-bps "$MODEL_ROYALTY_BPS" "${dev_mine[@]}"
    else
      fail "reading model $model: $shown"
    fi
  done < <(models)
}

node_show() {
  local args=() model
  while read -r model; do args+=(--model "$model"); done < <(models)
  provenance node show --deployment "$deployment" --rpc "$RPC_URL" --node "$node" "${args[@]}"
}

register_node() {
  local shown args=() model hash
  shown="$(node_show)"
  if [[ "$shown" != *"registered, operator"* ]]; then
    while read -r model; do args+=(--model "$model"); done < <(models)
    provenance node register --deployment "$deployment" --rpc "$RPC_URL" \
      --keystore "$OPERATOR_DIR/operator.json" --passphrase-file "$OPERATOR_DIR/operator.passphrase" \
      --node-keystore "$NODE_DATA_DIR/node-keystore.json" --node-passphrase-file "$NODE_DATA_DIR/passphrase" "${args[@]}"
    shown="$(node_show)"
  else
    say "node $node registered already"
  fi

  # Per model: the owner approves the node; a model the node does not serve yet is added.
  while read -r _ hash rest; do
    if [[ "$rest" == *"approved no"* ]]; then
      provenance model approve-node --deployment "$deployment" --rpc "$RPC_URL" \
        --keystore "$OPERATOR_DIR/model-owner.json" --passphrase-file "$OPERATOR_DIR/model-owner.passphrase" \
        --model "${hash%:}" --node "$node"
    fi
  done < <(grep '^  model ' <<<"$shown")
  while read -r _ hash rest; do
    if [[ "$rest" == *"authorised no"* ]]; then
      provenance node models add --deployment "$deployment" --rpc "$RPC_URL" \
        --keystore "$OPERATOR_DIR/operator.json" --passphrase-file "$OPERATOR_DIR/operator.passphrase" \
        --node "$node" --model "${hash%:}"
    fi
  done < <(grep '^  model ' <<<"$(node_show)")

  if [[ -n "$NODE_ENDPOINT" && "$(node_show)" != *"endpoint ${NODE_ENDPOINT%/}"* ]]; then
    local local_flag=()
    [[ "$NODE_ENDPOINT_ALLOW_LOCAL" == 1 ]] && local_flag=(--allow-local)
    provenance node endpoint set "$NODE_ENDPOINT" --node "$node" "${local_flag[@]}" --deployment "$deployment" --rpc "$RPC_URL" \
      --keystore "$OPERATOR_DIR/operator.json" --passphrase-file "$OPERATOR_DIR/operator.passphrase"
  fi
}

make_anchorer() {
  if [[ "$(provenance ledger anchorer show "$anchorer" --deployment "$deployment" --rpc "$RPC_URL")" == *"may not anchor"* ]]; then
    provenance ledger anchorer add "$anchorer" --deployment "$deployment" --rpc "$RPC_URL" \
      --keystore "$OPERATOR_DIR/operator.json" --passphrase-file "$OPERATOR_DIR/operator.passphrase"
  else
    say "ledger account $anchorer may anchor already"
  fi
}

all() {
  secrets
  local operator owner
  operator="$(keystore "$OPERATOR_DIR/operator.json" "$OPERATOR_DIR/operator.passphrase")"
  owner="$(keystore "$OPERATOR_DIR/model-owner.json" "$OPERATOR_DIR/model-owner.passphrase")"
  anchorer="$(keystore "$LEDGER_SECRETS_DIR/anchorer.keystore.json" "$LEDGER_SECRETS_DIR/anchorer.passphrase")"
  node="$(keystore "$NODE_DATA_DIR/node-keystore.json" "$NODE_DATA_DIR/passphrase")"
  say "operator $operator, model owner $owner, ledger anchorer $anchorer, node $node"
  [[ -n "$(models)" ]] || fail "no models under $MODELS_DIR (each a folder with model.onnx)"

  if [[ "$DEV_CHAIN" == 1 ]]; then
    # The node pays gas too: it settles payment channels for its operator.
    provenance dev fund "$operator" "$owner" "$anchorer" "$node" --rpc "$RPC_URL" --ether "$FUND_ETHER" --when-below "$FUND_WHEN_BELOW_ETHER"
  fi

  deploy
  register_models
  register_node
  make_anchorer
  say "done: deployment $deployment; node $node serves $(models | wc -l) model(s); ledger anchorer $anchorer"
}

case "${1:-all}" in
  secrets) secrets ;;
  all) all ;;
  *) fail "usage: $0 [secrets|all]" ;;
esac
