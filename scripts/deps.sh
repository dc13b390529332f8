#!/usr/bin/env bash
# Installs the Debian packages pol needs, when any is missing. Sourced by scripts/demo and scripts/test.
set -euo pipefail
POL_PACKAGES=(g++ cmake ninja-build pkg-config tao-pegtl-dev libfmt-dev libcli11-dev doctest-dev libsimdjson-dev nettle-dev libxml2-utils time libcpp-httplib-dev libxlsxwriter-dev libminizip-dev libxml2-dev libisal-dev libpugixml-dev python3-openpyxl curl chromium chromium-l10n firefox-esr fonts-noto-cjk wrk iproute2)
missing=()
for p in "${POL_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# Node.js and npm for the browser checks and the workbench's libraries (tests/browser, web/):
# the machine's own when it has them, else Debian's.
if ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian packages: nodejs npm" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
