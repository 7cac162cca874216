package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
)

//go:embed static
var content embed.FS

func main() {
	static, err := fs.Sub(content, "static")
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", http.FileServer(http.FS(static)))
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	log.Println("serving the embedded site on :8000")
	log.Fatal(http.ListenAndServe(":8000", nil))
}
