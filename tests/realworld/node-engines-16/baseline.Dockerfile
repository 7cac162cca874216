# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:16-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
EXPOSE 8080
CMD ["npm", "start"]
