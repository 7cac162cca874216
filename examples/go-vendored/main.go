// Command go-vendored is the go-vendored example: a command-line program whose
// only dependency, github.com/example/textcase, is vendored under vendor/.
//
// Run without arguments it prints "HELLO FROM GO-VENDORED" and exits 0; any
// arguments are shouted instead.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/example/textcase"
)

const programName = "go-vendored"

// banner is the line the program prints for the given arguments.
func banner(args []string) string {
	if len(args) == 0 {
		return textcase.Shout("hello from " + programName)
	}
	return textcase.Shout(strings.Join(args, " "))
}

func main() {
	fmt.Println(banner(os.Args[1:]))
}
