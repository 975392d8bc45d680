# Hushlink's container image: `docker build -t hushlink .` (or `buildah bud`, `podman build`).
# Everything comes from Debian's packages and the npm registry; nothing else is downloaded.
# Run it with docker run, or compose.yaml; docs/deploy.md#containers explains both.

# ---- build: the README's own commands, `npm ci` then `npm run build` ----
FROM debian:trixie-slim AS build

# Debian trixie's nodejs is 20.19 (patched by Debian); better-sqlite3 is compiled here from its
# source with Debian's node-gyp, python3, make and g++, which stay in this stage.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nodejs npm python3 make g++ ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

# Only for building behind a TLS-inspecting proxy: the path of a CA bundle mounted for the build
# (scripts/test-container.sh does this). Empty by default; not kept in the image.
ARG NODE_EXTRA_CA_CERTS=
# better-sqlite3's installer would try a prebuilt binary from GitHub first: build it from source.
ENV npm_config_build_from_source=true \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /src
# The manifests alone first, so the dependency layers are rebuilt only when they change.
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY server/package.json server/
COPY web/package.json web/
COPY cli/package.json cli/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci

# The runtime's node_modules: production dependencies of the server and protocol only (the web
# app's React is bundled into web/dist). Installed without scripts from the cache `npm ci` just
# filled. Without optional dependencies too: npm counts a development dependency that is also
# an optional peer of a production one (Lingui's Babel macro, Babel, TypeScript through
# cosmiconfig: 21 MB) as optional, not as development, so only --omit=optional leaves it out.
# The two native modules are then taken from the tree above: better-sqlite3's compiled here, and
# argon2's glibc build for this machine (the one optional dependency the server needs), and loaded once to prove
# it. What Node never loads goes: the SQLite sources, TypeScript sources and types, source maps,
# packages' own tests, examples and documents (licences stay).
RUN mkdir -p /prod \
 && cp -r package.json package-lock.json protocol server web cli e2e bench /prod/ \
 && cd /prod \
 && npm ci --omit=dev --omit=optional --workspace=server --workspace=protocol --ignore-scripts \
      --prefer-offline \
 && mkdir -p node_modules/better-sqlite3/build/Release \
 && cp /src/node_modules/better-sqlite3/build/Release/better_sqlite3.node \
       node_modules/better-sqlite3/build/Release/ \
 && cp -r /src/node_modules/@node-rs/argon2-linux-*-gnu node_modules/@node-rs/ \
 && node -e "require('/prod/node_modules/@node-rs/argon2').hashSync('x'); new (require('/prod/node_modules/better-sqlite3'))(':memory:')" \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
 && find node_modules -depth -type d \( -name test -o -name tests -o -name __tests__ \
      -o -name benchmark -o -name benchmarks -o -name example -o -name examples \) \
      -exec rm -rf {} + \
 && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.cts' -o -name '*.mts' \
      -o -name '*.md' -o -name '*.markdown' \) -delete

COPY . .
RUN npm run build

# ---- runtime: Node.js, the production dependencies and the built files ----
FROM debian:trixie-slim

# ca-certificates: TLS to SMTP, PostgreSQL and Redis verifies against Debian's CA store.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 hushlink \
 && useradd --system --uid 10001 --gid hushlink --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin hushlink \
 && mkdir -p /data \
 && chown hushlink:hushlink /data \
 && chmod 0700 /data

WORKDIR /app
COPY --from=build /prod/node_modules node_modules
COPY --from=build /src/protocol/package.json protocol/
COPY --from=build /src/protocol/dist protocol/dist
COPY --from=build /src/server/package.json server/
# server/bundle is the server the CMD runs (scripts/bundle-server.mjs); server/dist, the same code
# as tsc compiled it, is kept for the scripts run beside it (db migrations, the re-wrap script).
COPY --from=build /src/server/dist server/dist
COPY --from=build /src/server/bundle server/bundle
COPY --from=build /src/web/dist web/dist

# No secret here: in embedded mode the root key is generated into /data on first start; with
# PostgreSQL, HUSHLINK_ROOT_KEY comes from the environment (compose.yaml's env file).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER hushlink:hushlink

# Liveness only (the process answers); /readyz, which asks the database, is for load balancers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# SIGTERM (docker stop) makes the server finish requests in flight and exit 0.
CMD ["node", "server/bundle/main.js"]
