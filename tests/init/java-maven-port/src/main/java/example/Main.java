package example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** An HTTP service on the JDK's built-in server: `/` greets, `/health` answers `ok`. */
public final class Main {
    private Main() {}

    /** The greeting `/` answers with. */
    static String greeting(String path) {
        String name = path == null || path.length() <= 1 ? "" : " " + path.substring(1);
        return "hello from java-maven-http" + name + "\n";
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        if (args.length > 0 && args[0].equals("--healthcheck")) {
            // The image has no curl: the app probes itself (used by HEALTHCHECK).
            System.exit(healthy(port) ? 0 : 1);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/health", exchange -> answer(exchange, "ok\n"));
        server.createContext("/", exchange -> answer(exchange, greeting(exchange.getRequestURI().getPath())));
        server.start();
        System.out.println("listening on :" + port + " (java " + Runtime.version() + ")");
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/health").openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
