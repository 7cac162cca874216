# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci
RUN npx nx build @nx-ws/api
ENV HOST=0.0.0.0
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
