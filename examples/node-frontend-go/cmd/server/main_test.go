package main

import "testing"

func TestEnvOr(t *testing.T) {
	t.Setenv("X_TEST", "")
	if got := envOr("X_TEST", "d"); got != "d" {
		t.Fatalf("envOr = %q", got)
	}
}
