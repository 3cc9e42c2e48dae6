package io.patchbay.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the HTTP management API, PID {@code io.patchbay.management}. */
@ObjectClassDefinition(name = "Patchbay management API")
public @interface ManagementConfig {

    @AttributeDefinition(description = "TCP port of the API; 0: the launcher's --api-port (framework property"
            + " patchbay.api.port), else 8081")
    int port() default 0;

    @AttributeDefinition(description = "Address the API binds to; keep it on loopback unless a proxy in front"
            + " of it authenticates and encrypts")
    String host() default ManagementServer.DEFAULT_HOST;

    @AttributeDefinition(description = "Largest request body (a patch file) accepted, in bytes; larger ones get 413")
    long maxBodyBytes() default ManagementApi.DEFAULT_MAX_BODY_BYTES;
}
