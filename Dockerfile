# One image for every service; compose picks the service with the command.
FROM node:20.20-bookworm-slim AS build
WORKDIR /workspace
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY apps/auth/package.json apps/auth/
COPY apps/api-keys/package.json apps/api-keys/
COPY apps/billing/package.json apps/billing/
COPY apps/usage-tracking/package.json apps/usage-tracking/
COPY apps/settings/package.json apps/settings/
COPY apps/product/package.json apps/product/
COPY libs/platform/package.json libs/platform/
COPY libs/testing/package.json libs/testing/
COPY tools/stack/package.json tools/stack/
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false npx nx run-many -t build --projects=tag:type:app && npm prune --omit=dev

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /workspace
COPY --from=build --chown=node:node /workspace /workspace
USER node
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
