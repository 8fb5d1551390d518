# One image for every fleetgraph process; compose.yaml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
USER node
ENV NODE_ENV=production
EXPOSE 4000
CMD ["npx", "tsx", "gateway/main.ts"]
