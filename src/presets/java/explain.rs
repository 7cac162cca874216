//! The `stagegen explain` texts of the Java preset's codes (SG8xx): what was found, what would go
//! wrong in the build or the image, and the knob or file that fixes it.

use super::codes;

/// The text of `id`, when it is one of this preset's codes.
pub(super) fn text(id: &str) -> Option<&'static str> {
    build(id).or_else(|| procfile(id)).or_else(|| runtime(id))
}

/// The texts of the codes about the project and its build (SG801-SG812, SG818).
fn build(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::NO_BUILD_FILE.id => {
            "The Java preset builds a Maven or Gradle project, and the build context has no \
             `pom.xml`, `build.gradle` or `build.gradle.kts` at its root, so there is no build \
             to run. Point `context` at the project's folder."
        }
        id if id == codes::MAVEN_AND_GRADLE.id => {
            "The project has both a Maven build (`pom.xml`) and a Gradle build \
             (`build.gradle`), and they may build different things, so stagegen does not guess \
             which one is used. Choose with `package-manager = \"maven\"` or \
             `package-manager = \"gradle\"` in `[preset]`, or delete the build you no longer \
             use."
        }
        id if id == codes::UNKNOWN_BUILD_TOOL.id => {
            "`package-manager` names a build tool the Java preset does not run; it builds with \
             Maven (`maven` or `mvn`) and Gradle (`gradle`). Write one of them, or leave the \
             knob out to detect the tool from `pom.xml` or `build.gradle`."
        }
        id if id == codes::BUILD_FILE_MISSING.id => {
            "`package-manager` names a build tool whose build file the context lacks: `maven` \
             needs `pom.xml`, `gradle` needs `build.gradle` or `build.gradle.kts`. Point \
             `context` at the project's folder, or remove `package-manager` to detect the tool \
             from the files there are."
        }
        id if id == codes::INVALID_VERSION.id => {
            "`version` in `[preset]` is the Java feature release the builder and runtime images \
             are tagged with (`eclipse-temurin:21-jre`), and the value is not one: `latest`, \
             a word, or a release before Java 8. Write the feature release, 8 or later: \
             `version = \"21\"`."
        }
        id if id == codes::INVALID_JAR.id => {
            "`jar` names the jar the build writes, which the final image copies and runs with \
             `java -jar`; it must be a path relative to the project ending in `.jar` (`*` and \
             `?` match any name), not one outside it or absolute. Write, for example, \
             `jar = \"target/app.jar\"` or `jar = \"build/libs/*-all.jar\"`."
        }
        id if id == codes::INVALID_JVM_FLAG.id => {
            "Each entry of `jvm-flags` is put before `-jar` in the image's command, so it must \
             be a JVM flag starting with `-` (`\"-Xmx1g\"`, `\"-XX:+UseZGC\"`); a word without \
             one would be taken as the class or jar to run. Add the `-`; the app's own \
             arguments go in `[runtime] cmd`."
        }
        id if id == codes::WRAPPER_INCOMPLETE.id => {
            "The project has a build wrapper script (`mvnw` or `gradlew`), which the build runs \
             instead of the tool's image, and a file it needs is missing \
             (`.mvn/wrapper/maven-wrapper.properties`, `gradle/wrapper/...`), so the wrapper \
             would fail in the build. Restore the wrapper (`mvn wrapper:wrapper`, \
             `gradle wrapper`) and commit its files, or delete the script to build with the \
             tool's image."
        }
        id if id == codes::WAR.id => {
            "The pom packages a `war`, which needs a servlet container to run, and the Java \
             preset runs a jar with `java -jar`. Package the app as a runnable jar (an \
             embedded server, or Spring Boot's jar), or name a runnable jar the build also \
             writes with `jar` in `[preset]`."
        }
        id if id == codes::NO_MAIN_CLASS.id => {
            "The build makes a jar, or applies Gradle's `application` plugin, but names no main \
             class, so `java -jar` (or the start script) would not know what to run. Set it: \
             `<mainClass>` in the maven-jar-plugin's manifest (or Spring Boot's plugin), \
             `application { mainClass = \"com.example.Main\" }` in Gradle, or name a runnable \
             jar with `jar`."
        }
        id if id == codes::DEPENDENCIES_OUTSIDE_JAR.id => {
            "The Maven app has dependencies, and the jar it builds does not carry them (no \
             shade or Spring Boot plugin), and no pom names a main class to run it with its \
             dependencies on the class path. `java -jar` would fail with a missing class. Add \
             the maven-shade-plugin, or name the main class with `<mainClass>` in the \
             maven-jar-plugin's manifest, or name a runnable jar with `jar`."
        }
        id if id == codes::SEVERAL_APPS.id => {
            "More than one project of the Gradle build applies the `application` plugin \
             (`:api`, `:worker`), and an image runs one app, so stagegen does not guess which. \
             Name the runnable (fat) jar of the one to build with `jar` in `[preset]`: \
             `jar = \"api/build/libs/*-all.jar\"`; build the others with a build.toml each."
        }
        id if id == codes::POM_TOO_DEEP.id => {
            "A `pom.xml` nests its elements more than 128 levels deep, far more than any POM \
             (a dozen at most), so stagegen stops reading it rather than hold the whole tree. \
             Check that the file is complete and is a pom."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about the start a Procfile names (SG819-SG820).
fn procfile(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::PROCFILE_NOT_A_JAR.id => {
            "The Procfile's `web` process (or its lone `worker`) becomes the image's command, \
             and its command does not run a jar with `java -jar` (a `-cp` class path, a script, \
             `mvn spring-boot:run`), so it is nothing the image can run as it is. Write it as `web: java [flags] -jar <jar> [args]` \
             with the jar the build makes, or remove the `web` process to start the jar the \
             preset finds."
        }
        id if id == codes::PROCFILE_NEEDS_SHELL.id => {
            "The Procfile's command uses shell syntax (`$PORT`, quotes, `&&`) in its flags or \
             arguments, which only a shell can run, and the `distroless` image has none. Leave \
             `base` out for the JRE image (it has a shell), or write the command without shell \
             syntax: the app can read `PORT` itself."
        }
        _ => return None,
    };
    Some(text)
}

/// The texts of the codes about the final image (SG813-SG817).
fn runtime(id: &str) -> Option<&'static str> {
    let text = match id {
        id if id == codes::JLINK_TOO_OLD.id => {
            "`jlink = true` links a smaller Java runtime (Java SE and the JDK modules apps use \
             most) with `jlink`, which Java 11 and later have, and the app is built for an older Java. \
             Raise `version` to 11 or later, or turn `jlink` off to run on a JRE image."
        }
        id if id == codes::JLINK_ON_ALPINE.id => {
            "A `jlink` runtime is linked from the builder's JDK, which is built for glibc, and \
             the `alpine` image has musl, so the linked `java` would not start there. Use \
             `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`, or turn `jlink` off \
             to run on the Alpine JRE image (`eclipse-temurin:<version>-jre-alpine`)."
        }
        id if id == codes::ON_SCRATCH.id => {
            "`base = \"scratch\"` is an empty image, and Java needs at least a C library, so \
             neither the JRE nor a `jlink` runtime runs on it. Use `base = \"distroless\"` in \
             `[runtime]`, or `jlink = true` with `base = \"slim\"`."
        }
        id if id == codes::NO_DISTROLESS_IMAGE.id => {
            "`base = \"distroless\"` runs the jar on distroless Java, which is published for a \
             few Java releases only (the help lists them), and not for the app's. Set `version` \
             to one of them, or set `jlink = true` to link a runtime of any version onto \
             distroless `java-base`."
        }
        id if id == codes::SLIM_WITHOUT_JLINK.id => {
            "`base = \"slim\"` is Debian slim, which has no Java runtime: the preset puts a \
             `jlink` runtime there, and `jlink` is off. Set `jlink = true` in `[preset]`, or \
             leave `base` out to run on a JRE image (distroless Java, or \
             `eclipse-temurin:<version>-jre` where the app needs a shell or apt)."
        }
        _ => return None,
    };
    Some(text)
}
