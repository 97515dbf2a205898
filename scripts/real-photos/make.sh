#!/usr/bin/env bash
# Builds the real-photograph check set used to test the pipeline on real images (no ISIC data can be fetched here):
# random square crops of the camera photos shipped in two Debian packages, 7 classes by source photo, HAM10000-like
# imbalance, written in the HAM10000 layout and as ImageFolder. Usage: scripts/real-photos/make.sh [SIZE=32] [OUT=/tmp/realdata]
set -euo pipefail
size=${1:-32}; out=${2:-/tmp/realdata}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
command -v apt-get >/dev/null || { echo "error: needs apt-get (Debian) for mate-backgrounds and python3-skimage" >&2; exit 2; }
/usr/bin/python3 -c 'import PIL' 2>/dev/null || apt-get install -y python3-pil >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y python3-pil >/dev/null; }
(cd "$work" && apt-get download mate-backgrounds python3-skimage >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
/usr/bin/python3 "$(dirname "$0")/crops.py" "$work/x" "$size" "$out"
