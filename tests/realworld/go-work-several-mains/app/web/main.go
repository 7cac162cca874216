package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/shared"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "web %s\n", shared.Version)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
