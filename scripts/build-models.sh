#!/usr/bin/env bash
# Rebuilds the models the project ships (models/<name>/model.onnx + manifest.json) from the
# committed corpus with fixed seeds: the same sources give the same bytes, and so the same SHA-256
# (a model's identity on chain). Training the text model takes a few minutes on 2 cores.
#   scripts/build-models.sh            # both models
#   scripts/build-models.sh text       # only models/kjv-char-mlp
#   scripts/build-models.sh image      # only models/cppn-image
#   scripts/build-models.sh corpus     # re-extract models/corpus/kjv.txt (needs Debian's bible-kjv)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-all}"
project="$root/src/MobileAigc.Provenance.ModelBuilder"

dotnet build "$project" -c Release --nologo -clp:ErrorsOnly -v:quiet
builder="$project/bin/Release/net10.0/MobileAigc.Provenance.ModelBuilder"

case "$what" in
  corpus)
    command -v bible >/dev/null || { echo "build-models: 'bible' missing: apt-get install bible-kjv" >&2; exit 1; }
    raw="$(mktemp)"
    trap 'rm -f "$raw"' EXIT
    bible -m 8192 "Gen1:1-Rev22:21" >"$raw"
    "$builder" corpus --bible-output "$raw" --out "$root/models/corpus/kjv.txt"
    ;;
  text)
    "$builder" text --corpus "$root/models/corpus/kjv.txt" --out "$root/models/kjv-char-mlp"
    ;;
  image)
    "$builder" image --out "$root/models/cppn-image"
    ;;
  all)
    "$builder" all --models "$root/models"
    ;;
  *)
    echo "usage: $0 [all|text|image|corpus]" >&2
    exit 2
    ;;
esac

(cd "$root/models" && sha256sum */model.onnx)
