package main

import "testing"

func TestBanner(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, "HELLO FROM GO-VENDORED"},
		{"arguments", []string{"a", "b"}, "A B"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := banner(tc.args); got != tc.want {
				t.Errorf("banner(%q) = %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}
