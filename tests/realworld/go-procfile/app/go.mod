module github.com/example/go-getting-started

go 1.22
