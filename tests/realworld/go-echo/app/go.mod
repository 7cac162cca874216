module example.com/echodemo

go 1.22

require github.com/labstack/echo/v4 v4.2.1

require (
	github.com/dgrijalva/jwt-go v3.2.0+incompatible // indirect
	github.com/labstack/gommon v0.3.0 // indirect
	github.com/mattn/go-colorable v0.1.7 // indirect
	github.com/mattn/go-isatty v0.0.16 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.1 // indirect
	golang.org/x/crypto v0.0.0-20200820211705-5c72a883971a // indirect
	golang.org/x/net v0.3.0 // indirect
	golang.org/x/sys v0.5.0 // indirect
	golang.org/x/text v0.7.0 // indirect
	golang.org/x/time v0.0.0-20201208040808-7e3f01d25324 // indirect
)

// the versions Debian bookworm packages (the only module sources this corpus copy was vendored from)
replace (
	github.com/davecgh/go-spew => github.com/davecgh/go-spew v1.1.1
	github.com/dgrijalva/jwt-go => github.com/dgrijalva/jwt-go v3.2.0+incompatible
	github.com/labstack/gommon => github.com/labstack/gommon v0.2.6
	github.com/mattn/go-colorable => github.com/mattn/go-colorable v0.1.13
	github.com/mattn/go-isatty => github.com/mattn/go-isatty v0.0.17
	github.com/pmezard/go-difflib => github.com/pmezard/go-difflib v1.0.0
	github.com/stretchr/objx => github.com/stretchr/objx v0.5.0
	github.com/stretchr/testify => github.com/stretchr/testify v1.8.1
	github.com/valyala/bytebufferpool => github.com/valyala/bytebufferpool v1.0.0
	github.com/valyala/fasttemplate => github.com/valyala/fasttemplate v1.2.2
	golang.org/x/crypto => golang.org/x/crypto v0.4.0
	golang.org/x/net => golang.org/x/net v0.7.0
	golang.org/x/sys => golang.org/x/sys v0.3.0
	golang.org/x/term => golang.org/x/term v0.3.0
	golang.org/x/text => golang.org/x/text v0.7.0
	golang.org/x/time => golang.org/x/time v0.3.0
	gopkg.in/yaml.v3 => gopkg.in/yaml.v3 v3.0.1
)
