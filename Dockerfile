# One image for every service: compose picks the service with the command
# (`node apps/<service>/dist/main.js`). Built once, by the auth service of docker-compose.yml.

# Every workspace's package.json with the lockfile, and nothing else: the install layer below
# is rebuilt when a dependency changes, not when source does.
FROM node:20.20-bookworm-slim AS manifests
WORKDIR /source
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find apps libs tools -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM node:20.20-bookworm-slim AS build
WORKDIR /workspace
# better-sqlite3 is a native addon: built from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY --from=manifests /manifests ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --projects=tag:type:app --output-style=static \
 && npm prune --omit=dev --no-audit --no-fund \
 && mkdir /runtime \
 && cp -r package.json node_modules /runtime/ \
 && for dir in apps/* libs/*; do mkdir -p "/runtime/$dir" && cp "$dir/package.json" "/runtime/$dir/" && cp -r "$dir/dist" "/runtime/$dir/"; done
# Nothing at run time reads type declarations, source maps, documentation or the native addon's
# sources and intermediate objects: only its compiled better_sqlite3.node is kept.
RUN cd /runtime/node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ && rm -rf build deps src && mkdir -p build/Release && mv /tmp/better_sqlite3.node build/Release/ \
 && find /runtime -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' \) -delete

# What runs: Node.js alone (no npm, no compiler), production dependencies and built output.
FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/node /usr/local/bin/node
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --no-create-home --shell /usr/sbin/nologin node
ENV NODE_ENV=production
WORKDIR /workspace
COPY --from=build /runtime ./
USER node
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/auth/dist/main.js"]
