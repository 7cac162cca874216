package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()

	cases := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/", http.StatusOK, "hello from go-http"},
		{"/healthz", http.StatusOK, "ok"},
		{"/nope", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatalf("GET %s: %v", tc.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("GET %s: status %d, want %d", tc.path, resp.StatusCode, tc.wantStatus)
		}
		if !strings.Contains(string(body), tc.wantBody) {
			t.Errorf("GET %s: body %q, want it to contain %q", tc.path, body, tc.wantBody)
		}
	}
}

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()
	if err := probe(srv.URL + "/healthz"); err != nil {
		t.Errorf("probe(/healthz) = %v, want nil", err)
	}
	if err := probe(srv.URL + "/missing"); err == nil {
		t.Error("probe(/missing) = nil, want an error")
	}
}
