module example.com/go-vendored

go 1.22

require github.com/example/textcase v1.0.0
