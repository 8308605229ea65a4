#!/usr/bin/env bash
# Install the Debian packages ZI Portal needs, only those missing. Used by `make run`,
# `make test` and .ci/run (gettext compiles the translations). Pass --browser for the end-to-end
# suite (Chromium, poppler) and --services for the service suite's own daemons (nginx for the proxy
# test, clamd for the malware scan test; the tests start and stop them, so their system services
# are not needed).
set -euo pipefail

packages=(libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core shared-mime-info gettext)
for flag in "$@"; do
  case "$flag" in
    --browser) packages+=(chromium poppler-utils) ;;
    --services) packages+=(nginx clamav-daemon) ;;
    *) echo "unknown flag: $flag (use --browser and/or --services)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them (as root): apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
