module example.com/tool

go 1.21

require github.com/x/y v1.0.0
