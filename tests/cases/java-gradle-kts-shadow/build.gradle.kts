plugins {
    java
    id("com.gradleup.shadow") version "8.3.5"
}

repositories { mavenCentral() }

dependencies {
    implementation("info.picocli:picocli:4.7.6")
}

kotlin { jvmToolchain(21) } // a Kotlin-style toolchain line is read as well

tasks.jar {
    manifest { attributes["Main-Class"] = "example.Cli" }
}
