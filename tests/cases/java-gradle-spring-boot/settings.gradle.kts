pluginManagement {
    includeBuild("build-logic")
}
rootProject.name = "platform"
include("app", "lib")
