# syntax=docker/dockerfile:1
# One image for every service of the stack: the command picks the role
# (gateway start | api | worker | checkout | receiver | migrate).

# ---- build: all dependencies (esbuild, TypeScript), then dist/ --------------------------------
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY common ./common
COPY web ./web
RUN npm run build

# ---- runtime: production dependencies and the build output only -------------------------------
FROM node:20-alpine AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY bin ./bin
COPY docker/healthcheck.mjs docker/demo-setup.mjs ./docker/
COPY --from=build /app/dist ./dist

# The files belong to root and are read-only for the process, which runs unprivileged.
USER node
EXPOSE 8000 3000 3001 4000 9464
# Probes the API's /health on PORT; compose gives the other roles their own URL as an argument.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
    CMD ["node", "docker/healthcheck.mjs"]
# SIGTERM reaches node directly (exec form), which drains and exits within its shutdown timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/gateway.js"]
CMD ["start"]
