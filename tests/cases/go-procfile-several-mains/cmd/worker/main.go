package main

import "log"

func main() {
	log.Println("worker: nothing to do")
}
