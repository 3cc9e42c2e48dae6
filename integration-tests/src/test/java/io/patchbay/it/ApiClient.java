package io.patchbay.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The management API over loopback, as a script with curl uses it: a bearer token on every request. */
public final class ApiClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Status, body and headers of one answer. */
    public record Response(int status, String body, HttpHeaders headers) {

        /** @return the first string value of {@code "name":} in the body */
        public String string(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no string \"" + name + "\" in " + body);
            }
            return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }

        /** @return the first whole number of {@code "name":} in the body */
        public long number(String name) {
            return new Http.Response(status, body).number(name);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final int port;
    private final String token;

    public ApiClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** A client with the token the runtime wrote to {@code DATA/api.token}. */
    public static ApiClient of(RuntimeProcess runtime) throws IOException {
        return new ApiClient(runtime.apiPort(), Files.readString(runtime.data().resolve("api.token")).strip());
    }

    public ApiClient withToken(String other) {
        return new ApiClient(port, other);
    }

    /** @return the operator the journal records for this token: api: and 8 hex digits of its SHA-256 */
    public String operator() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        return "api:" + HexFormat.of().formatHex(digest).substring(0, 8);
    }

    public Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET());
    }

    public Response post(String pathAndQuery, Path body) throws IOException, InterruptedException {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofFile(body)));
    }

    public Response post(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Sends a body of that many zero bytes without a Content-Length (chunked): only counting can stop it. */
    public Response postStreamed(String pathAndQuery, long bytes) throws IOException, InterruptedException {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(bytes))));
    }

    public Response send(String method, String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    private static InputStream zeros(long bytes) {
        return new InputStream() {
            private long left = bytes;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
