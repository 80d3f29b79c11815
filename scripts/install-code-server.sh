#!/usr/bin/env bash
# Installs code-server (VS Code in a browser) for the end-to-end tests, into a cache
# directory OUTSIDE the repository, with the Node 24 it needs (from the npm package
# node-linux-<arch>; the project itself stays on Node 20). Idempotent: a working install
# is kept and only its location is printed. Needs the npm registry, and Debian's
# libkrb5-dev for code-server's native `kerberos` module (scripts/install-system-deps.sh).
#
#   bash scripts/install-code-server.sh        # prints the code-server launcher's path
#
# Environment: EXIM_CYRUS_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/exim-cyrus).
# The e2e tests look in the same place (test/e2e/tools.ts).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0

cache="${EXIM_CYRUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exim-cyrus}"
dest="$cache/code-server-$CODE_SERVER_VERSION"
launcher="$dest/bin/code-server"

fail() { echo "install-code-server: $*" >&2; exit 1; }

# Prints nothing, succeeds when $1 runs and reports the pinned version. code-server's
# first run anywhere writes a default config and says so on stdout before the version,
# so it runs with a throwaway XDG config home and any line may carry the version.
# (Output is captured first: `cmd | grep -q` would fail under pipefail when grep exits early.)
reports_version() {
  local out xdg rc=0
  xdg=$(mktemp -d)
  out=$(XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" "$1" --version 2>> "${log:-/dev/null}") || rc=1
  rm -rf "$xdg"
  ((rc == 0)) || return 1
  [[ $'\n'"$out" == *$'\n'"$CODE_SERVER_VERSION "* ]]
}
works() { [[ -x "$launcher" && -f "$dest/.complete" ]] && reports_version "$launcher"; }

if works; then
  echo "code-server $CODE_SERVER_VERSION already installed: $launcher"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "unsupported machine $(uname -m)" ;;
esac
[[ "$(uname -s)" == Linux ]] || fail "only Linux is supported (found $(uname -s))"
command -v npm > /dev/null || fail "npm is not on PATH"
if command -v dpkg-query > /dev/null && [[ "$(dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null)" != "install ok installed" ]]; then
  fail "Debian's libkrb5-dev is missing (code-server's kerberos module builds against it): run scripts/install-system-deps.sh as root"
fi
for tool in make g++ python3; do
  command -v "$tool" > /dev/null || fail "$tool is missing (code-server builds native modules): apt-get install build-essential python3"
done

mkdir -p "$cache"
# Installed in place; the .complete marker, written last, says the install finished.
work="$dest"
log="$cache/install-code-server-$CODE_SERVER_VERSION.log"
rm -rf "$work"
mkdir -p "$work/node" "$work/app"
: > "$log"
echo "install-code-server: installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION into $dest (about 4 minutes, 800 MB; log: $log)"
start=$(date +%s)

# Isolated npm settings: ~/.npmrc may set nodedir (e.g. /usr, Node 20's headers) which
# would make node-gyp build code-server's native modules for the wrong Node.
export npm_config_userconfig="$work/npmrc"
: > "$npm_config_userconfig"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_loglevel=warn npm_config_strict_allow_scripts=false

# 1. Node 24: the binary and its headers ship in one registry package.
(cd "$work/node" && npm install --no-save --no-package-lock --ignore-scripts "node-linux-$arch@$NODE_VERSION") >> "$log" 2>&1 ||
  { tail -30 "$log" >&2; fail "could not install node-linux-$arch@$NODE_VERSION from the npm registry"; }
nodedir="$work/node/node_modules/node-linux-$arch"
[[ -x "$nodedir/bin/node" && -f "$nodedir/include/node/node.h" ]] || fail "node-linux-$arch@$NODE_VERSION has no bin/node or headers"
[[ "$("$nodedir/bin/node" --version)" == "v$NODE_VERSION" ]] || fail "the installed node does not run"

# 2. code-server, installed by npm running on that node (its postinstall checks the
#    version in npm's user agent) with node-gyp pointed at the same node's headers.
export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
echo '{"private":true}' > "$work/app/package.json"
for attempt in 1 2; do  # a second try rides out a registry hiccup; npm resumes where it stopped
  if (cd "$work/app" && npm install --no-package-lock --omit=dev --foreground-scripts "code-server@$CODE_SERVER_VERSION") >> "$log" 2>&1; then
    break
  fi
  [[ $attempt == 2 ]] && { tail -40 "$log" >&2; fail "npm install code-server@$CODE_SERVER_VERSION failed twice (see $log)"; }
  echo "install-code-server: npm install failed; retrying once" >&2
done
cs="$work/app/node_modules/code-server"
# npm 11 may skip a dependency's install scripts (allowScripts policy): then run
# code-server's postinstall ourselves. It installs VS Code's own dependencies.
if [[ ! -d "$cs/lib/vscode/node_modules" || ! -e "$cs/lib/vscode/bin/remote-cli/code-server" ]]; then
  echo "install-code-server: postinstall did not run; running it" >> "$log"
  (cd "$cs" && npm_config_user_agent="npm/$(npm --version) node/v$NODE_VERSION linux $arch" sh ./postinstall.sh) >> "$log" 2>&1 ||
    { tail -40 "$log" >&2; fail "code-server's postinstall failed (see $log)"; }
fi
[[ -d "$cs/lib/vscode/node_modules" ]] || fail "code-server's VS Code dependencies are missing after install (see $log)"

# 3. A launcher that always uses our node, then an atomic move into place.
mkdir -p "$work/bin"
cat > "$work/bin/code-server" << EOF
#!/bin/sh
# Generated by scripts/install-code-server.sh: code-server $CODE_SERVER_VERSION on Node $NODE_VERSION.
here=\$(cd "\$(dirname "\$0")/.." && pwd)
exec "\$here/node/node_modules/node-linux-$arch/bin/node" "\$here/app/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x "$work/bin/code-server"
reports_version "$work/bin/code-server" ||
  { tail -20 "$log" >&2; fail "the installed code-server does not start (see $log)"; }
date -u +%FT%TZ > "$work/.complete"
works || fail "code-server does not run from $dest (see $log)"
echo "code-server $CODE_SERVER_VERSION installed in $(( $(date +%s) - start ))s: $launcher"
