# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY package.json bun.lock ./
RUN npm install -g bun@1.4.5 && bun install
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
