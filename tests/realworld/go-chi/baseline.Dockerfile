# Baseline for tests/realworld/go-chi: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 001 "Go Example": golang builder, the binary on a small base),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviations: debian:bookworm-slim instead of alpine:latest (no Alpine offline), so
# ca-certificates come from apt; no `go mod download` step where there is nothing to download.
# vendor/ comes with `COPY . .`; `go build` uses it by default.

# Build stage
FROM golang:1.23 AS builder
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o main .

# Production stage
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /root/
COPY --from=builder /app/main .
EXPOSE 3000
CMD ["./main"]
