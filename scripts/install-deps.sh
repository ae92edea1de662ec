#!/usr/bin/env bash
# Installs the Debian 12 packages dealflow needs, only those that are missing.
# Idempotent: prints "all dependencies present" and does nothing when all are there.
# Uses sudo for apt-get when not run as root.
set -euo pipefail

PACKAGES=(
  cmake g++ make
  libboost-dev libboost-graph-dev libboost-date-time-dev
  libeigen3-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev
  libsimdjson-dev
  ccache
  clang-14 pkg-config
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all dependencies present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
