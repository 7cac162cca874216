plugins {
    alias(libs.plugins.spring.boot) apply false
}
