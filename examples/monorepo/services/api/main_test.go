package main

import (
	"testing"

	"example.com/shared"
)

func TestGreeting(t *testing.T) {
	if got := shared.Greeting("api"); got != "hello from api (monorepo, libs/shared)" {
		t.Fatalf("Greeting = %q", got)
	}
}
