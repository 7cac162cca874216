package main

import (
	"log"
	"net/http"

	"example.com/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(greet.Hello(r.URL.Query().Get("name")) + "\n"))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
