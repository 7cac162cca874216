package com.example.getstarted;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The web process: the Procfile passes the port the platform gives it as `--port=`. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            }
        }
        if (port == 0) {
            System.err.println("usage: --port=<port>");
            System.exit(2);
        }
        final int listening = port;
        HttpServer server = HttpServer.create(new InetSocketAddress(listening), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("Getting started with Java on port " + listening + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening on :" + listening);
    }
}
