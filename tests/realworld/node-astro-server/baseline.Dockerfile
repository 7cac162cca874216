# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV HOST=0.0.0.0
EXPOSE 4321
CMD ["node", "dist/server/entry.mjs"]
