# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM oven/bun:1
WORKDIR /app
COPY package.json bun.lockb ./
RUN bun install
COPY . .
EXPOSE 3000
CMD ["bun", "src/index.ts"]
