#!/usr/bin/env bash
# Prepares a real VS Code that runs offline: code-server (VS Code for the browser, with the
# normal Node extension host) installed from npm into .vscode-test/code-server/, and the system
# packages it and the browser tests need. Idempotent: every step checks first, so a rerun on a
# prepared machine takes about a second.
#
#   bash scripts/setup-code-server.sh                  # everything (npm start and npm test)
#   bash scripts/setup-code-server.sh --without-browser  # skip Chromium (npm start only needs
#                                                       # a browser you already have)
#
# The recipe and the reasons behind each step: /work/shared/notes/real-vscode-offline.md.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSTALL_DIR="$ROOT/.vscode-test/code-server"
CODE_SERVER_BIN="$INSTALL_DIR/node_modules/.bin/code-server"

want_browser=1
for arg in "$@"; do
  case "$arg" in
    --without-browser) want_browser=0 ;;
    *) echo "setup-code-server: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { echo "[setup-code-server] $*"; }

# --- 1. System packages -------------------------------------------------------------------
# Each entry is "how to tell it is there|Debian package|why":
#   libkrb5-dev  headers for code-server's `kerberos` native module, compiled at install time;
#   ripgrep      code-server's search needs an rg binary, normally downloaded during install,
#                which fails offline: we hand it Debian's (step 2);
#   g++, make    node-gyp builds code-server's native modules (usually already present);
#   chromium     the browser the end-to-end tests drive through playwright-core.
requirements=(
  "dpkg:libkrb5-dev|libkrb5-dev"
  "cmd:rg|ripgrep"
  "cmd:g++|g++"
  "cmd:make|make"
  "cmd:python3|python3"
)
if [ "$want_browser" = 1 ]; then
  requirements+=("file:/usr/bin/chromium|chromium")
fi

is_present() {
  local check="$1"
  case "$check" in
    dpkg:*) dpkg-query -W -f='${Status}' "${check#dpkg:}" 2>/dev/null | grep -q 'install ok installed' ;;
    cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 ;;
    file:*) [ -x "${check#file:}" ] ;;
  esac
}

missing=()
for requirement in "${requirements[@]}"; do
  check="${requirement%%|*}"
  package="${requirement##*|}"
  is_present "$check" || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup-code-server: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  log "system packages present"
fi

# --- 2. ripgrep cache ---------------------------------------------------------------------
# code-server depends on @vscode/ripgrep, whose postinstall downloads a release tarball from
# GitHub unless it finds one in <tmpdir>/vscode-ripgrep-cache-<package version>/. Different
# parts of code-server pin different versions, so seed each one with Debian's rg.
tmp_dir="$(node -p 'require("os").tmpdir()')"
rg_stage="$(mktemp -d)"
trap 'rm -rf "$rg_stage"' EXIT
cp "$(command -v rg)" "$rg_stage/rg"
for pair in 1.15.11:v13.0.0-10 1.15.13:v13.0.0-13 1.15.14:v13.0.0-13; do
  package_version="${pair%%:*}"
  release="${pair##*:}"
  cache_dir="$tmp_dir/vscode-ripgrep-cache-$package_version"
  tarball="$cache_dir/ripgrep-$release-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$tarball" ]; then
    mkdir -p "$cache_dir"
    tar czf "$tarball" -C "$rg_stage" rg
  fi
done

# --- 3. code-server -----------------------------------------------------------------------
installed_version() {
  [ -x "$CODE_SERVER_BIN" ] || return 1
  # Prints e.g. "4.100.3 <commit> with Code 1.100.3" (the very first run may log a line about
  # writing its default config before that); a broken install prints no such line.
  "$CODE_SERVER_BIN" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1 | tr -d ' '
}

if [ "$(installed_version || true)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION present in ${INSTALL_DIR#"$ROOT"/}"
else
  log "installing code-server $CODE_SERVER_VERSION into ${INSTALL_DIR#"$ROOT"/} (about a minute)"
  # A half-finished earlier attempt would confuse npm: start from an empty folder.
  rm -rf "$INSTALL_DIR"
  mkdir -p "$INSTALL_DIR"
  # A package.json of its own keeps npm from treating the repository as the project.
  printf '{ "name": "ddpg-lab-code-server", "private": true }\n' >"$INSTALL_DIR/package.json"
  (
    cd "$INSTALL_DIR"
    # npm 11 blocks dependency install scripts unless allowed, and code-server's postinstall
    # must run (it builds the native modules); as root it also wants --unsafe-perm.
    npm_config_dangerously_allow_all_scripts=true npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_fund=false npm_config_audit=false npm install "code-server@$CODE_SERVER_VERSION"
  )
  version="$(installed_version || true)"
  if [ "$version" != "$CODE_SERVER_VERSION" ]; then
    echo "setup-code-server: code-server did not install correctly (version: '${version}')" >&2
    exit 1
  fi
  log "code-server $CODE_SERVER_VERSION installed"
fi
