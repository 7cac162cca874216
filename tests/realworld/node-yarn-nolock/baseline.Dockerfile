# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim
WORKDIR /app
COPY package.json ./
RUN yarn install
COPY . .
EXPOSE 3000
CMD ["node", "index.js"]
