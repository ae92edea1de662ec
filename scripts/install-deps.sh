#!/usr/bin/env bash
# Installs the Debian 12 packages dealflow needs, only those that are missing.
# Idempotent: prints "all dependencies present" and does nothing when all are there.
# Uses sudo for apt-get when not run as root.
# Chromium (the real-browser check of tests/browser/, issue 13) is optional: when it cannot be
# installed a warning is printed and the script goes on; those tests are then skipped, with a message.
set -euo pipefail

PACKAGES=(
  cmake g++ make
  libboost-dev libboost-graph-dev libboost-date-time-dev
  libeigen3-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev
  libpng-dev libxml2-dev
  libsimdjson-dev
  ccache
  clang-14 pkg-config
)

# fonts-dejavu-core: glyphs for Cyrillic text in the screenshots (Chromium draws boxes without a font).
OPTIONAL=(chromium fonts-dejavu-core)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${OPTIONAL[@]}"; do
  installed "$p" || missing_optional+=("$p")
done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ]; then
  echo "install-deps: all dependencies present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq || echo "install-deps: warning: apt-get update failed" >&2
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
for p in "${missing_optional[@]}"; do
  echo "install-deps: installing $p (optional)"
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p"; then
    echo "install-deps: WARNING: could not install $p; without chromium the real-browser tests (ctest -L browser) are" \
         "skipped with \"chromium not found\"" >&2
  fi
done
