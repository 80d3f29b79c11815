#!/usr/bin/env bash
# Installs the real programs the live and end-to-end tests use: Debian's Exim 4.96 and
# Cyrus IMAP 3.6 (with the SASL tools and swaks), and Chromium. Needs root; does nothing
# for a package already installed. Daemons are not started by the packages (policy-rc.d):
# the tests start their own, on loopback, under a temp directory.
set -euo pipefail
pkgs=(exim4-daemon-heavy cyrus-imapd cyrus-admin cyrus-clients sasl2-bin libsasl2-modules swaks chromium libkrb5-dev openssl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-system-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
