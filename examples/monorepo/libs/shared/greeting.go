// Package shared holds what the monorepo's services say alike.
package shared

// Greeting is the answer every service of the monorepo gives at /.
func Greeting(service string) string {
	return "hello from " + service + " (monorepo, libs/shared)"
}
