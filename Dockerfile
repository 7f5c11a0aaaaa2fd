# Spreekuur as a container image, on Debian (bookworm), run as the unprivileged user `node`.
#
#   docker build -t spreekuur .                                        # Telegram, WhatsApp Cloud API, web chat
#   docker build --build-arg WITH_CHROMIUM=true -t spreekuur:wwebjs .  # also the whatsapp-web.js adapter
#
# Only the whatsapp-web.js adapter (WHATSAPP_ENABLED=true) drives a browser, so only that image gets
# Debian's Chromium (about 300 MB more); no browser is ever downloaded by npm.
# compose.yaml runs this image as the three roles; docs/operations.md says how to run and upgrade it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Compilers for native modules (better-sqlite3, argon2) in case no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY bots ./bots
COPY flows ./flows
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build /app/package.json /app/.puppeteerrc.cjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY data ./data
# Everything the service writes (the SQLite file in the embedded mode, generated secrets, the
# WhatsApp session) goes under /var/lib/spreekuur: mount a volume there (docker run -v
# spreekuur:/var/lib/spreekuur). The code and the municipality's data stay read-only.
RUN mkdir -p /var/lib/spreekuur/whatsapp && chown -R node:node /var/lib/spreekuur
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    DATABASE_URL=sqlite:/var/lib/spreekuur/spreekuur.db \
    WEBCHAT_SECRET_FILE=/var/lib/spreekuur/webchat-secret \
    DASHBOARD_SECRET_FILE=/var/lib/spreekuur/dashboard-secret \
    AUDIT_SECRET_FILE=/var/lib/spreekuur/audit-secret \
    LOG_PSEUDONYM_KEY_FILE=/var/lib/spreekuur/log-pseudonym-key \
    WHATSAPP_SESSION_DIR=/var/lib/spreekuur/whatsapp \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
USER node
EXPOSE 3000
# Ready: migrations ran, database and queue answer, every channel of this role is connected.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Plain node as PID 1, no npm or shell between: SIGTERM from `docker stop` reaches the service itself.
# The V8 flag is the one in bin/service-flags.mjs (a smaller young generation: some 30 MB less memory).
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "dist/src/cli/main.js", "serve"]
