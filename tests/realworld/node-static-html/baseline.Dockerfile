# Seed-style baseline for the size benchmarks: one full install, everything copied, run as root.
FROM nginxinc/nginx-unprivileged:stable
COPY . /usr/share/nginx/html/
EXPOSE 8080
