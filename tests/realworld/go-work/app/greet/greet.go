// Package greet builds greetings; it is shared by the workspace's modules.
package greet

import "fmt"

func Hello(name string) string {
	if name == "" {
		name = "workspace"
	}
	return fmt.Sprintf("hello, %s (from the greet module)", name)
}
