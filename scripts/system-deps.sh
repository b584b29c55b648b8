#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the test suite needs, when they are missing (the Makefile's
# SYSTEM_PACKAGES: pdftotext, ffmpeg, and strace + ip for the syscall-level network test).
set -euo pipefail
need=()
for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ $# -eq 0 ]; then exit 0; fi
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
