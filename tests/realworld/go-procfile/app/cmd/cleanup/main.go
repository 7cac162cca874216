// A one-off process (`heroku run bin/cleanup`): it runs from the same image.
package main

import "log"

func main() {
	log.Println("cleanup: nothing to remove")
}
