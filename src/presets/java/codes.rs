//! The Java preset's diagnostic codes (SG8xx). Stable: a code keeps its meaning once published.

use crate::diagnostics::codes::codes;

codes! {
    pub(crate),
    NO_BUILD_FILE = "SG801" "java-no-build-file";
    MAVEN_AND_GRADLE = "SG802" "java-maven-and-gradle";
    UNKNOWN_BUILD_TOOL = "SG803" "java-unknown-build-tool";
    BUILD_FILE_MISSING = "SG804" "java-build-file-missing";
    INVALID_VERSION = "SG805" "java-invalid-version";
    INVALID_JAR = "SG806" "java-invalid-jar";
    INVALID_JVM_FLAG = "SG807" "java-invalid-jvm-flag";
    WRAPPER_INCOMPLETE = "SG808" "java-wrapper-incomplete";
    WAR = "SG809" "java-war-packaging";
    NO_MAIN_CLASS = "SG810" "java-no-main-class";
    DEPENDENCIES_OUTSIDE_JAR = "SG811" "java-dependencies-outside-jar";
    SEVERAL_APPS = "SG812" "java-several-applications";
    JLINK_TOO_OLD = "SG813" "java-jlink-needs-java-11";
    JLINK_ON_ALPINE = "SG814" "java-jlink-on-alpine";
    ON_SCRATCH = "SG815" "java-on-scratch";
    NO_DISTROLESS_IMAGE = "SG816" "java-no-distroless-image";
    SLIM_WITHOUT_JLINK = "SG817" "java-slim-without-jlink";
    POM_TOO_DEEP = "SG818" "java-pom-too-deep";
    PROCFILE_NOT_A_JAR = "SG819" "java-procfile-not-a-jar";
    PROCFILE_NEEDS_SHELL = "SG820" "java-procfile-needs-shell";
}
