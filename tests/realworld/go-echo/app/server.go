package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

type status struct {
	Service string `json:"service"`
	OK      bool   `json:"ok"`
}

func main() {
	e := echo.New()
	e.Use(middleware.Logger())
	e.Use(middleware.Recover())

	e.GET("/", func(c echo.Context) error {
		return c.String(http.StatusOK, "Hello, World! (echo)")
	})
	e.GET("/status", func(c echo.Context) error {
		return c.JSON(http.StatusOK, status{Service: "echo-demo", OK: true})
	})

	e.Logger.Fatal(e.Start(":1323"))
}
