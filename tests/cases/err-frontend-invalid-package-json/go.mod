module a

go 1.22
