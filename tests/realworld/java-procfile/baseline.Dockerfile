# Baseline for tests/realworld/java-procfile: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 004 "multi-stage build for a Java application"),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviations: maven:3.9-eclipse-temurin-17 and eclipse-temurin:17-jre instead of the seed's
# JDK 11 images (the pom compiles for 17); `mvn -B` for readable logs; the Procfile's
# `--port`, which the app needs.

# Stage 1: Build the application
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /app
COPY . .
RUN mvn -B package -DskipTests

# Stage 2: Create the final image
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/target/java-getting-started-1.0.0.jar .
EXPOSE 8080
CMD ["java", "-Xss512k", "-jar", "java-getting-started-1.0.0.jar", "--port=8080"]
