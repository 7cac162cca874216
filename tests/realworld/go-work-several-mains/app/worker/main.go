package main

import (
	"fmt"

	"example.com/shared"
)

func main() {
	fmt.Printf("worker %s: nothing to do\n", shared.Version)
}
