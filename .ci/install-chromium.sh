#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests (HtmlReportBrowserTest) when they are missing.
# Idempotent and non-interactive; safe to call on every CI run.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-chromium: already installed: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

# Wait for a dpkg lock held by another apt run instead of failing at once.
apt_options=(-q -o DPkg::Lock::Timeout=300)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y chromium chromium-driver

echo "install-chromium: installed: $(/usr/bin/chromium --version 2>/dev/null)"
