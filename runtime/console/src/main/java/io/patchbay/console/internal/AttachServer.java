package io.patchbay.console.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Listens on the Unix domain socket named by the framework property
 * {@code patchbay.console.socket} and serves each connection as one Gogo session
 * ({@link ConsoleConnection}). The socket file is made owner-only (and sits in an owner-only
 * folder), so only the user running Patchbay can attach; there is no network port.
 * Without that property (a framework not started by the Patchbay launcher) it does nothing.
 */
@Component(immediate = true)
public class AttachServer {

    static final String SOCKET_PROPERTY = "patchbay.console.socket";
    static final int MAX_CONNECTIONS = 8;

    private final CommandProcessor processor;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final ExecutorService workers;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    @Activate
    public AttachServer(@Reference CommandProcessor processor, BundleContext context) throws IOException {
        this.processor = processor;
        String configured = context.getProperty(SOCKET_PROPERTY);
        if (configured == null || configured.isBlank()) {
            this.socketPath = null;
            this.server = null;
            this.workers = null;
            return;
        }
        this.socketPath = Path.of(configured);
        // A socket file left by a process that died cannot be bound over; the data folder
        // lock guarantees no live instance owns it.
        Files.deleteIfExists(socketPath);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(socketPath));
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.server = channel;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(MAX_CONNECTIONS + 1, r -> {
            Thread thread = new Thread(r, "patchbay-console-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (open.size() >= MAX_CONNECTIONS) {
                ConsoleConnection.refuse(client, "too many consoles attached (at most " + MAX_CONNECTIONS + ")");
                continue;
            }
            open.add(client);
            workers.execute(() -> {
                try {
                    new ConsoleConnection(processor, client).serve();
                } finally {
                    open.remove(client);
                }
            });
        }
    }

    @Deactivate
    void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        for (SocketChannel client : open) {
            client.close();
        }
        workers.shutdownNow();
        Files.deleteIfExists(socketPath);
    }
}
