#!/usr/bin/env bash
# Install the Debian libraries Qt needs, if any are missing and we may (root + apt-get).
# Usage: install_qt_system_libs.sh offscreen|window
set -eu
mode=${1:-offscreen}
libs="libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3"
if [ "$mode" = window ]; then
  libs="$libs libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0"
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for lib in $libs; do
  # Debian 13 renamed some libraries (t64); accept either name.
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "ok installed" && continue
  dpkg-query -W -f='${Status}' "${lib}t64" 2>/dev/null | grep -q "ok installed" && continue
  missing="$missing $lib"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Qt needs these system libraries:$missing — install them with your package manager." >&2
  exit 0
fi
echo "Installing system libraries for Qt:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $missing >/dev/null
