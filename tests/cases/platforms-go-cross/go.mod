module example.com/api

go 1.22.4

require github.com/google/uuid v1.6.0
