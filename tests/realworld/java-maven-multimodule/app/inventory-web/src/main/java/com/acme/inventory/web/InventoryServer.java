package com.acme.inventory.web;

import com.acme.inventory.core.Stock;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public final class InventoryServer {
    public static void main(String[] args) throws IOException {
        Stock stock = new Stock().put("bolts", 120).put("nuts", 80).put("washers", 200);
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8081"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/stock", exchange -> {
            byte[] body = ("inventory: " + stock.summary() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("inventory web on :" + port);
    }
}
