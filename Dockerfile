# One image for every fleetgraph process; compose.yaml (generated from the domain manifest) picks the
# entry point per service: gateway/main.ts, subgraphs/run.ts <domain>, simulator/cli.ts (demo only).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
EXPOSE 4000
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "gateway/main.ts"]
