plugins {
    application
}
application { mainClass.set("example.Api") }
