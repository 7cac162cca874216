# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM node:22-slim AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:stable
COPY --from=build /app/build/ /usr/share/nginx/html/
EXPOSE 8080
