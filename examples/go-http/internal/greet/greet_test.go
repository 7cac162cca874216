package greet

import "testing"

func TestMessage(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"service name", "go-http", "hello from go-http"},
		{"trims blanks", "  go-http\n", "hello from go-http"},
		{"empty falls back", "", "hello from stranger"},
		{"blank falls back", "   ", "hello from stranger"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Message(tc.in); got != tc.want {
				t.Errorf("Message(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
