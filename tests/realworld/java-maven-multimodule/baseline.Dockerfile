# Baseline for tests/realworld/java-maven-multimodule: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 004 "multi-stage build for a Java application"),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviations: maven:3.9-eclipse-temurin-<v> and eclipse-temurin:<v>-jre instead of the seed's
# JDK 11 images (the app needs a newer JDK); `mvn -B` for readable logs.
# the reactor builds from the root; the runnable jar is inventory-web's.

# Stage 1: Build the application
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /app
COPY . .
RUN mvn -B package -DskipTests

# Stage 2: Create the final image
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/inventory-web/target/inventory-web-1.4.0.jar .
EXPOSE 8081
CMD ["java", "-jar", "inventory-web-1.4.0.jar"]
