module example.com/ginping

go 1.22

require github.com/gin-gonic/gin v1.8.1

require (
	github.com/gin-contrib/sse v0.1.0 // indirect
	github.com/go-playground/locales v0.14.0 // indirect
	github.com/go-playground/universal-translator v0.18.0 // indirect
	github.com/go-playground/validator/v10 v10.10.0 // indirect
	github.com/goccy/go-json v0.9.7 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/leodido/go-urn v1.2.1 // indirect
	github.com/mattn/go-isatty v0.0.14 // indirect
	github.com/modern-go/concurrent v0.0.0-20180228061459-e0a39a4cb421 // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/pelletier/go-toml/v2 v2.0.1 // indirect
	github.com/ugorji/go/codec v1.2.7 // indirect
	golang.org/x/crypto v0.0.0-20210711020723-a769d52b0f97 // indirect
	golang.org/x/net v0.3.0 // indirect
	golang.org/x/sys v0.5.0 // indirect
	golang.org/x/text v0.7.0 // indirect
	google.golang.org/protobuf v1.28.0 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)

// the versions Debian bookworm packages (the only module sources this corpus copy was vendored from)
replace (
	github.com/davecgh/go-spew => github.com/davecgh/go-spew v1.1.1
	github.com/gin-contrib/sse => github.com/gin-contrib/sse v0.1.0
	github.com/go-playground/locales => github.com/go-playground/locales v0.14.0
	github.com/go-playground/universal-translator => github.com/go-playground/universal-translator v0.17.0
	github.com/go-playground/validator/v10 => github.com/go-playground/validator/v10 v10.4.1
	github.com/json-iterator/go => github.com/json-iterator/go v1.1.12
	github.com/leodido/go-urn => github.com/leodido/go-urn v1.2.1
	github.com/mattn/go-isatty => github.com/mattn/go-isatty v0.0.17
	github.com/modern-go/concurrent => github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd
	github.com/modern-go/reflect2 => github.com/modern-go/reflect2 v1.0.2
	github.com/pelletier/go-toml/v2 => github.com/pelletier/go-toml/v2 v2.0.6
	github.com/pmezard/go-difflib => github.com/pmezard/go-difflib v1.0.0
	github.com/stretchr/objx => github.com/stretchr/objx v0.5.0
	github.com/stretchr/testify => github.com/stretchr/testify v1.8.1
	github.com/ugorji/go/codec => github.com/ugorji/go/codec v1.2.8
	golang.org/x/crypto => golang.org/x/crypto v0.4.0
	golang.org/x/net => golang.org/x/net v0.7.0
	golang.org/x/sys => golang.org/x/sys v0.3.0
	golang.org/x/text => golang.org/x/text v0.7.0
	google.golang.org/protobuf => google.golang.org/protobuf v1.28.1
	gopkg.in/yaml.v2 => gopkg.in/yaml.v2 v2.4.0
	gopkg.in/yaml.v3 => gopkg.in/yaml.v3 v3.0.1
)
