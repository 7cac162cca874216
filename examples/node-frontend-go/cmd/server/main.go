// Command server is the node-frontend-go example: a Go API that also serves the static
// frontend built with Node (web/, copied to /app/static by stagegen's `[frontend]`).
//
//	GET /            the frontend (index.html and its bundle)
//	GET /api/hello   {"message": "hello from the go backend"}
//	GET /healthz     ok
//
// With -healthcheck it probes /healthz and exits 0 or 1 (distroless has no curl).
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe /healthz and exit 0 if healthy")
	static := flag.String("static", envOr("STATIC_DIR", "/app/static"), "folder of the built frontend")
	flag.Parse()
	port := envOr("PORT", "8080")
	if *healthcheck {
		res, err := http.Get("http://127.0.0.1:" + port + "/healthz")
		if err != nil || res.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"message": "hello from the go backend"}`)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("/", http.FileServer(http.Dir(*static)))
	log.Printf("node-frontend-go listening on :%s, serving %s", port, *static)
	log.Fatal(http.ListenAndServe(":"+port, mux))
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
