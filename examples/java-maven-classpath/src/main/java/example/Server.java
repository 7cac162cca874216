package example;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.apache.commons.lang3.StringUtils;

/** An HTTP service whose answer needs a library on the class path (Apache Commons Lang). */
public final class Server {
    private Server() {}

    public static void main(String[] args) throws IOException {
        int port = 8080;
        if (args.length > 0 && args[0].equals("--healthcheck")) {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            System.exit(c.getResponseCode() == 200 ? 0 : 1);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            String who = StringUtils.defaultIfBlank(StringUtils.substringAfter(exchange.getRequestURI().getPath(), "/"), "java-maven-classpath");
            byte[] body = ("hello from " + StringUtils.capitalize(who) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening on :" + port);
    }
}
