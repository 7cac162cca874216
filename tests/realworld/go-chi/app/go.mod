module example.com/chidemo

go 1.22.0

toolchain go1.23.4

require github.com/go-chi/chi/v5 v5.0.7
