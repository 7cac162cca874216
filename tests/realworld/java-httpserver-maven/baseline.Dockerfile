# Baseline for tests/realworld/java-httpserver-maven: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 004 "multi-stage build for a Java application"),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviations: maven:3.9-eclipse-temurin-<v> and eclipse-temurin:<v>-jre instead of the seed's
# JDK 11 images (the app needs a newer JDK); `mvn -B` for readable logs.
# JDK 21 from .sdkmanrc; `COPY . .` because the app is small (the seed copies pom.xml and src/).

# Stage 1: Build the application
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY . .
RUN mvn -B package -DskipTests

# Stage 2: Create the final image
FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /app/target/hello-httpserver-0.3.0.jar .
EXPOSE 8080
CMD ["java", "-jar", "hello-httpserver-0.3.0.jar"]
