rootProject.name = "shadowed"
