package io.patchbay.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP GET over loopback, as an operator's curl would do it. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Status code and body of one response. */
    public record Response(int status, String body) {

        /** @return the first whole number that follows {@code "name":} in the body */
        public long number(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no number \"" + name + "\" in " + body);
            }
            return Long.parseLong(m.group(1));
        }
    }

    private Http() {
    }

    public static Response get(int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** @return the response, or {@code null} while nothing answers on the port */
    public static Response tryGet(int port, String pathAndQuery) throws InterruptedException {
        try {
            return get(port, pathAndQuery);
        } catch (IOException e) {
            return null;
        }
    }
}
