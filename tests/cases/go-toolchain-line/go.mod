module example.com/hello

go 1.21

toolchain go1.23.4
