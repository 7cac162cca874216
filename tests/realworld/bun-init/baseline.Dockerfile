# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM oven/bun:1
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install
COPY . .
CMD ["bun", "index.ts"]
