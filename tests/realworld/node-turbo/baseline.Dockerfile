# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci
RUN npx turbo run build --filter=api...
EXPOSE 3001
CMD ["node", "apps/api/dist/index.js"]
