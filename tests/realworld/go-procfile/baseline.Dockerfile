# Baseline for tests/realworld/go-procfile: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 001 "Go Example": golang builder, the binary on a small base),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviations: debian:bookworm-slim instead of alpine:latest (no Alpine offline); the web
# program's package, and PORT, which it needs.

# Build stage
FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o main ./cmd/go-getting-started

# Production stage
FROM debian:bookworm-slim
WORKDIR /root/
COPY --from=builder /app/main .
ENV PORT=8080
EXPOSE 8080
CMD ["./main"]
