include("api", "worker")
