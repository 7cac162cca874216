module example.com/mono

go 1.23.1

require golang.org/x/text v0.14.0
