module example.com/stdlibhttp

go 1.22
