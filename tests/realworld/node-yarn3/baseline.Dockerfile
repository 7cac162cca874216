# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN yarn install --immutable
EXPOSE 3000
CMD ["node", "src/server.js"]
