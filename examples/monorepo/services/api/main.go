// Command api is the monorepo's Go service: GET / answers with the shared greeting, GET /healthz
// with ok. With -healthcheck it probes itself (the distroless image has no curl).
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/shared"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe http://127.0.0.1:8080/healthz")
	flag.Parse()
	if *healthcheck {
		resp, err := http.Get("http://127.0.0.1:8080/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, shared.Greeting("api")) })
	log.Fatal(http.ListenAndServe(":8080", nil))
}
