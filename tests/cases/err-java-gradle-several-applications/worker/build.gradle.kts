plugins {
    application
}
application { mainClass.set("example.Worker") }
