module example.com/node-frontend-go

go 1.22
