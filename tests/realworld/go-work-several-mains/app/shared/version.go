// Package shared holds what the web server and the worker have in common.
package shared

const Version = "2.3.0"
