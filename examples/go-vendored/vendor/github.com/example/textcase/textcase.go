// Package textcase is a tiny stand-in for a third-party module. It exists only
// vendored (there is no such module upstream): the go-vendored example uses it
// to prove that a build works from vendor/ alone, without a module proxy.
package textcase

import "strings"

// Shout returns s in upper case, e.g. Shout("hello") == "HELLO".
func Shout(s string) string {
	return strings.ToUpper(s)
}
