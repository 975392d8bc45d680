#!/usr/bin/env bash
# Builds Hushlink's container image from the Dockerfile and proves it serves, without a Docker
# engine (none runs on these machines) and without Docker Hub (not reachable from them):
#
#   1. installs buildah and debootstrap from Debian if they are missing;
#   2. makes the Dockerfile's base image, debian:trixie-slim, from Debian's own packages
#      (debootstrap --variant=minbase trixie, slimmed as the official image is) and imports it
#      under that name, so the unchanged FROM line resolves; the base is cached in
#      /var/cache/hushlink-ci between runs on the same machine;
#   3. builds the image: buildah bud --isolation chroot -t hushlink:test . (layers cached);
#   4. starts the server inside the image (buildah run --isolation chroot), with the compose
#      file's environment and a temporary data directory as /data, and checks /healthz, the
#      image's own HEALTHCHECK command, the web app, a share created and revealed through the
#      API by the CLI on this machine, the server process's user (not root), the files it wrote
#      in /data, and a clean exit on SIGTERM;
#   5. prints the figures (base image, build time, image size) and fails above MAX_IMAGE_MB.
#
# Everything it starts (the working container, the server) is stopped and removed on exit.
# Needs root (apt-get, buildah). Usage: scripts/test-container.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${HUSHLINK_CI_CACHE:-/var/cache/hushlink-ci}
BASE_NAME=docker.io/library/debian:trixie-slim
IMAGE=hushlink:test
MAX_IMAGE_MB=${MAX_IMAGE_MB:-250}
# Keep the layer cache from growing without bound: over this, it is emptied (the base stays).
MAX_STORAGE_GB=${MAX_STORAGE_GB:-12}
BASE_MAX_AGE_DAYS=${BASE_MAX_AGE_DAYS:-30}
BASE_TAR="$CACHE/debian-trixie-slim.tar"

say() { printf '[container] %s\n' "$*"; }
fail() {
  printf '[container] FAILED: %s\n' "$*" >&2
  exit 1
}
seconds_since() { echo $(($(date +%s) - $1)); }

[ "$(id -u)" -eq 0 ] || fail "needs root (apt-get, buildah); run it as root"

# ---- 1. tools ----
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing buildah and debootstrap from Debian (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi
mkdir -p "$CACHE"
# One run at a time per machine: they share the cache.
exec 9>"$CACHE/lock"
flock 9
bah() { buildah --root "$CACHE/storage" --runroot "$CACHE/run" "$@"; }
# This storage is this script's alone: a container in it is a leftover of an interrupted run.
bah rm --all >/dev/null 2>&1 || true

# The Debian mirror this machine's apt uses (nothing else is reachable).
mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}
security=${mirror%/debian}/debian-security

# ---- 2. the base image ----
t0=$(date +%s)
if [ -f "$BASE_TAR" ] && [ -n "$(find "$BASE_TAR" -mtime +"$BASE_MAX_AGE_DAYS")" ]; then
  say "cached base is older than $BASE_MAX_AGE_DAYS days: making it again"
  rm -f "$BASE_TAR"
  bah rmi --force "$BASE_NAME" >/dev/null 2>&1 || true
fi
if [ -d "$CACHE/storage" ] && [ "$(du -s --block-size=1G "$CACHE/storage" | cut -f1)" -gt "$MAX_STORAGE_GB" ]; then
  say "layer cache is over $MAX_STORAGE_GB GB: emptying it"
  bah rm --all >/dev/null 2>&1 || true
  bah rmi --all --force >/dev/null 2>&1 || true
fi
base_how="cached"
if [ ! -f "$BASE_TAR" ]; then
  base_how="made with debootstrap"
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  say "making $BASE_NAME: debootstrap --variant=minbase trixie from $mirror"
  if ! debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE/debootstrap.log" >&2
    rm -rf "$rootfs"
    fail "debootstrap failed (log: $CACHE/debootstrap.log)"
  fi
  # As the official slim image: trixie, its updates and security suites; no documentation,
  # manual pages or translations, now or in packages installed later; no package lists.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  tar --numeric-owner -C "$rootfs" -cf "$BASE_TAR.tmp" .
  mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$rootfs"
  bah rmi --force "$BASE_NAME" >/dev/null 2>&1 || true
fi
if ! bah inspect --type image "$BASE_NAME" >/dev/null 2>&1; then
  say "importing $BASE_TAR as $BASE_NAME"
  ctr=$(bah from scratch)
  bah add "$ctr" "$BASE_TAR" / >/dev/null
  bah config --cmd bash --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  bah commit --quiet --rm "$ctr" "$BASE_NAME" >/dev/null
  [ "$base_how" = cached ] && base_how="imported from the cached tar"
fi
base_seconds=$(seconds_since "$t0")
say "base image $BASE_NAME: $base_how (${base_seconds}s)"

# ---- 3. build ----
build_args=()
# This machine reaches the npm registry through a TLS-inspecting proxy whose CA is in the
# host's bundle (NODE_EXTRA_CA_CERTS, or npm's cafile): mount it for the build's RUN steps
# only, never into a layer.
ca=${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}
if [ -n "$ca" ] && [ -f "$ca" ]; then
  build_args+=(--volume "$ca:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
fi
say "building: buildah bud --isolation chroot --layers --format docker -t $IMAGE . (log: $CACHE/build.log)"
t0=$(date +%s)
bah rmi "$IMAGE" >/dev/null 2>&1 || true
# The steps as they start (and which came from the cache); the whole output goes to the log.
if ! bah bud --isolation chroot --layers --format docker --pull=false "${build_args[@]}" -t "$IMAGE" . 2>&1 |
  tee "$CACHE/build.log" | grep --line-buffered -E 'STEP [0-9]+/[0-9]+:|Using cache' |
  sed -u -e 's/^\(.\{140\}\).*/\1 .../' -e 's/^/    /'; then
  tail -n 60 "$CACHE/build.log" | sed 's/^/    /' >&2
  fail "the image did not build (log: $CACHE/build.log)"
fi
build_seconds=$(seconds_since "$t0")
bah inspect --type image "$IMAGE" >"$CACHE/image.json" || fail "the build produced no image"
# (No `buildah rmi --prune`: it would also drop the build stage's cached layers.)

# The image's size as `docker images` shows it: its layers, uncompressed, and its config.
image_json() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(eval(process.argv[2]))' "$CACHE/image.json" "$1"; }
image_bytes=$(image_json 'const m=JSON.parse(j.Manifest); m.layers.reduce((a,l)=>a+l.size,0)+m.config.size')
image_mb=$(awk -v b="$image_bytes" 'BEGIN { printf "%.1f", b / 1000000 }')

# ---- 4. start it and use it ----
work=$(mktemp -d /tmp/hushlink-container.XXXXXX)
ctr=""
runner=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$runner" ] && { kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; }
  [ -n "$ctr" ] && bah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
url="http://127.0.0.1:$port"
uid=$(image_json 'j.Docker.config.User || ""')
[ -n "$uid" ] || fail "the image sets no USER: it would run as root"

ctr=$(bah from --pull=false --name "hushlink-ci-$$" "$IMAGE")
# /data: buildah gives the image's VOLUME a fresh directory of this working container, as a new
# named volume would be (owned by the image's user); it goes with the container at the end.
say "starting the server in the image on $url (user $uid, /data = a new volume of this container)"
# The compose quick start's environment: the image's HOST, DATA_DIR and NODE_ENV, plus these.
bah run --isolation chroot \
  --env PORT="$port" --env PUBLIC_URL="$url" --env LOG_LEVEL=info \
  "$ctr" -- node server/bundle/main.js >"$work/server.log" 2>&1 &
runner=$!

up=""
for _ in $(seq 1 120); do
  if curl -fsS "$url/healthz" >"$work/healthz" 2>/dev/null; then
    up=yes
    break
  fi
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$up" ]; then
  sed 's/^/    server: /' "$work/server.log" >&2
  fail "the server in the image did not answer $url/healthz"
fi
grep -q '"status":"ok"' "$work/healthz" || fail "/healthz answered $(cat "$work/healthz")"
say "ok: GET /healthz answers $(cat "$work/healthz")"

# The process's user, read from the kernel rather than from the image's metadata.
server_pid=$(ss -ltnpH "sport = :$port" | grep -oE 'pid=[0-9]+' | head -n1 | cut -d= -f2 || true)
[ -n "$server_pid" ] || fail "no process listens on port $port"
proc_uid=$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")
proc_cmd=$(tr '\0' ' ' <"/proc/$server_pid/cmdline")
[ "$proc_uid" != 0 ] || fail "the server runs as root ($proc_cmd)"
say "ok: the server process ($proc_cmd) runs as uid $proc_uid, not root"

# The image's own HEALTHCHECK command, run inside the image as Docker would.
mapfile -t health_argv < <(image_json '(j.Docker.config.Healthcheck?.Test ?? []).join("\n")')
[ "${health_argv[0]:-}" = CMD ] || fail "the image has no HEALTHCHECK in exec form: ${health_argv[*]:-none}"
health_argv=("${health_argv[@]:1}")
bah run --isolation chroot --env PORT="$port" "$ctr" -- "${health_argv[@]}" ||
  fail "the image's HEALTHCHECK command failed against a running server"
say "ok: the image's HEALTHCHECK command passes"

# answers PATH PATTERN: GET PATH succeeds and its body matches (read whole, then searched).
answers() { curl -fsSL "$url$1" -o "$work/answer" && grep -qi -- "$2" "$work/answer"; }
answers / '<div id="root"' || fail "GET / did not serve the web app"
say "ok: GET / serves the web app"
answers /api/openapi.json '"openapi"' || fail "GET /api/openapi.json did not answer the API description"
answers /api/docs swagger || fail "GET /api/docs did not serve the API documentation"
say "ok: /api/openapi.json and /api/docs answer"

# A share made by the CLI on this machine: encrypted here, created and revealed through the API.
[ -f cli/dist/main.js ] || { say "building the CLI (tsc -b)"; npx tsc -b tsconfig.build.json; }
secret="container check $(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
link=$(printf '%s' "$secret" | node cli/bin/hushlink.js share --server "$url" --expires 5m --views 1 2>"$work/share.err") ||
  fail "creating a share failed: $(cat "$work/share.err")"
case "$link" in "$url"/s*'#'*) ;; *) fail "the share's link is not a share link on $url" ;; esac
revealed=$(node cli/bin/hushlink.js get "$link" 2>"$work/get.err") || fail "revealing failed: $(cat "$work/get.err")"
[ "$revealed" = "$secret" ] || fail "the revealed secret differs from the one shared"
set +e
node cli/bin/hushlink.js get "$link" >/dev/null 2>&1
second=$?
set -e
[ "$second" -eq 2 ] || fail "a one-view share could be opened twice (exit $second)"
say "ok: a share created through the API was revealed once, then gone"

# What the server wrote in /data: the SQLite database and the generated root key, its own.
data=$(bah run --isolation chroot "$ctr" -- stat -c '%n %a %u' /data/hushlink.sqlite /data/root.key 2>&1) ||
  fail "/data lacks the database or the generated root key: $data"
grep -q "^/data/root.key 600 $proc_uid\$" <<<"$data" || fail "root.key is not mode 600 and the server's own: $data"
say "ok: /data holds hushlink.sqlite and root.key (mode 600, owned by uid $proc_uid)"

# Nothing of the build stage in the runtime image: no compiler, no npm, no npm cache.
if bah run --isolation chroot "$ctr" -- sh -c 'command -v npm || command -v gcc || command -v g++ || test -d /root/.npm' >/dev/null 2>&1; then
  fail "the runtime image contains build tools (npm, a compiler or an npm cache)"
fi
say "ok: no npm, compiler or npm cache in the runtime image"

# docker stop: SIGTERM, and the server exits 0 after finishing what is in flight.
kill -TERM "$server_pid"
server_pid=""
set +e
wait "$runner"
code=$?
set -e
runner=""
[ "$code" -eq 0 ] || {
  sed 's/^/    server: /' "$work/server.log" >&2
  fail "the server exited $code after SIGTERM"
}
say "ok: SIGTERM stops the server with exit code 0"
if grep -q "$secret" "$work/server.log"; then fail "the server's log contains the secret"; fi

# ---- 5. figures ----
say "figures: base image ${base_seconds}s ($base_how), build ${build_seconds}s, image $IMAGE ${image_mb} MB"
awk -v b="$image_bytes" -v m="$MAX_IMAGE_MB" 'BEGIN { exit !(b <= m * 1000000) }' ||
  fail "the image is ${image_mb} MB, over the ${MAX_IMAGE_MB} MB target"
say "passed"
