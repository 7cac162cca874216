package com.example.notes;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class NotesServer {
    private static final Logger LOG = LoggerFactory.getLogger(NotesServer.class);

    public static final class NotesServlet extends HttpServlet {
        private final List<String> notes = new CopyOnWriteArrayList<>(List.of("buy milk", "ship the corpus"));

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().println(notes.size() + " notes: " + String.join("; ", notes));
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            notes.add(req.getReader().readLine());
            resp.setStatus(HttpServletResponse.SC_CREATED);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Server server = new Server(port);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(NotesServlet.class, "/notes");
        server.setHandler(context);
        server.start();
        LOG.info("notes service listening on :{}", port);
        server.join();
    }
}
