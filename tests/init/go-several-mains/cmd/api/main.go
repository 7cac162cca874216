package main

const addr = "0.0.0.0:9000"

func main() {}
