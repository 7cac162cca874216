plugins {
    id("conventions.java")
    alias(libs.plugins.spring.boot)
}

dependencies {
    implementation(project(":lib"))
    implementation("org.springframework.boot:spring-boot-starter-web")
}

java { toolchain { languageVersion.set(JavaLanguageVersion.of(21)) } }
