package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/ping", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"message": "pong"})
	})
	r.GET("/hello/:name", func(c *gin.Context) {
		c.String(http.StatusOK, "hello %s\n", c.Param("name"))
	})
	// listens on $PORT, or :8080 without it
	r.Run()
}
