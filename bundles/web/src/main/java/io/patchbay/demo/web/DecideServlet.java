package io.patchbay.demo.web;

import io.patchbay.demo.api.Heater;
import io.patchbay.demo.api.HeatingPolicy;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

/**
 * {@code GET /decide?celsius=X}: asks the current heating policy. Answers 400 with a JSON
 * error for a missing or unreadable {@code celsius}, and 503 while no policy is available.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/decide")
@HttpWhiteboardTarget(StatusServlet.APPLICATION_SERVER)
public class DecideServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeatingPolicy policy;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String raw = request.getParameter("celsius");
        if (raw == null || raw.isBlank()) {
            Json.error(response, 400, "query parameter 'celsius' is required, e.g. /decide?celsius=-5");
            return;
        }
        double celsius;
        try {
            celsius = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            Json.error(response, 400, "query parameter 'celsius' is not a number: " + abbreviate(raw));
            return;
        }
        if (!Double.isFinite(celsius)) {
            Json.error(response, 400, "query parameter 'celsius' must be a finite number");
            return;
        }
        HeatingPolicy current = policy;
        if (current == null) {
            Json.error(response, 503, "no heating policy is available right now");
            return;
        }
        Heater heater = current.decide(celsius);
        Json.send(response, 200,
                "{\"celsius\":" + Json.number(celsius) + ",\"heater\":" + Json.string(heater.name()) + "}");
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
