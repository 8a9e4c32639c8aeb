#!/usr/bin/env bash
# Downloads the Debian packages whose pictures and word list the benchmarks use and unpacks each into
#   ${MOBILEAIGC_DATA_CACHE:-$HOME/.cache/mobileaigc-provenance}/debian/<package>/
# (the package's own file tree: usr/share/...). Idempotent: a package already unpacked there is skipped.
# Not run by the tests or CI; the robustness benchmark's --photographs mode names it when a picture is missing.
#   scripts/fetch-benchmark-data.sh              # every package below
#   scripts/fetch-benchmark-data.sh wamerican    # only the named ones
# Versions are pinned: bench/MobileAigc.Provenance.WatermarkRobustness/photographs.tsv holds each picture's
# SHA-256, so another version of a package would not match it. Needs apt-get and dpkg-deb (Debian 12 "bookworm").
set -euo pipefail

cache="${MOBILEAIGC_DATA_CACHE:-$HOME/.cache/mobileaigc-provenance}/debian"

# package=version, and why it is here.
packages=(
  mate-backgrounds=1.26.0-1                    # photographs (nature/); the issue names it
  ukui-wallpapers=20.04.3-1.1                  # named by the issue; holds no photograph (all renders and drawings)
  lomiri-wallpapers=20.04.0-2                  # named by the issue; one render
  lomiri-wallpapers-16.04=20.04.0-2            # photographs
  lomiri-wallpapers-20.04=20.04.0-2            # one photograph
  plasma-workspace-wallpapers=4:5.27.5-2       # KDE Plasma's wallpapers: eleven photographs
  python3-skimage=0.19.3-8                     # scikit-image's sample data (skimage/data): thirteen photographs
  opencv-doc=4.6.0+dfsg-12                     # OpenCV's sample data (examples/data): twenty-six photographs
  wamerican=2020.12.07-2                       # the word list of the text watermark's edit attacks
)

wanted=("$@")
selected() {
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local name
  for name in "${wanted[@]}"; do [[ "$name" == "$1" ]] && return 0; done
  return 1
}

for command in apt-get dpkg-deb; do
  command -v "$command" >/dev/null || { echo "fetch-benchmark-data: '$command' is missing (a Debian system is needed)." >&2; exit 1; }
done

mkdir -p "$cache"
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT

updated=false
for entry in "${packages[@]}"; do
  name="${entry%%=*}"
  selected "$name" || continue
  target="$cache/$name"
  if [[ -d "$target/usr" ]]; then
    echo "fetch-benchmark-data: $name already in $target"
    continue
  fi

  # The index may be stale on a fresh machine: update it once, only when a download fails.
  if ! (cd "$download" && apt-get download "$entry" >/dev/null 2>&1); then
    if [[ "$updated" == false ]]; then
      echo "fetch-benchmark-data: download of $entry failed; running apt-get update once" >&2
      apt-get update >/dev/null
      updated=true
    fi
    (cd "$download" && apt-get download "$entry") || {
      echo "fetch-benchmark-data: cannot download $entry (is Debian 12's main archive in the apt sources?)" >&2
      exit 1
    }
  fi

  deb="$(ls "$download"/"${name}"_*.deb)"
  partial="$target.partial"
  rm -rf "$partial"
  dpkg-deb -x "$deb" "$partial"
  mv "$partial" "$target"
  rm -f "$deb"
  echo "fetch-benchmark-data: $name unpacked into $target"
done
