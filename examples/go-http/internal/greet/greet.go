// Package greet builds the greeting that go-http serves on "/".
package greet

import "strings"

// Message returns the greeting for the named service, e.g.
// Message("go-http") == "hello from go-http". An empty or blank name falls
// back to "stranger".
func Message(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "stranger"
	}
	return "hello from " + name
}
