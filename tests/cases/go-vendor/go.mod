module example.com/tool/v2

go 1.21

require github.com/x/y v1.0.0
