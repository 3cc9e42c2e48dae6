package io.patchbay.engine.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the patch engine, PID {@code io.patchbay.engine}. */
@ObjectClassDefinition(name = "Patchbay patch engine")
public @interface EngineConfig {

    @AttributeDefinition(description = "Trust store (PKCS12) of the certificates whose patches are accepted;"
            + " empty: etc/truststore.p12 in the distribution")
    String truststore_path() default "";

    @AttributeDefinition(description = "Password of the trust store", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String truststore_password() default "patchbay";

    @AttributeDefinition(description = "Accept unsigned patches (not recommended)")
    boolean allow_unsigned() default false;

    @AttributeDefinition(description = "Largest patch file accepted, in bytes")
    long max_patch_bytes() default EngineSettings.DEFAULT_MAX_PATCH_BYTES;

    @AttributeDefinition(description = "Most entries a patch may have")
    int max_entries() default EngineSettings.DEFAULT_MAX_ENTRIES;

    @AttributeDefinition(description = "Largest expanded size of one entry, in bytes")
    long max_entry_bytes() default EngineSettings.DEFAULT_MAX_ENTRY_BYTES;

    @AttributeDefinition(description = "Largest expanded size of a whole patch, in bytes")
    long max_expanded_bytes() default EngineSettings.DEFAULT_MAX_EXPANDED_BYTES;

    @AttributeDefinition(description = "How long the health gate waits for bundles and components to be active again, in ms")
    long activation_timeout_millis() default 10_000;

    @AttributeDefinition(description = "How long the health gate then watches for framework errors, in ms")
    long settle_millis() default 1_000;

    @AttributeDefinition(description = "Strategy handover: how long the old and the new version both serve before"
            + " the old one stops, so that callers which cache a service reference move to the new one first, in ms")
    long handover_overlap_millis() default 100;

    @AttributeDefinition(description = "Strategy handover: how long calls already inside the old version may take"
            + " to finish after its services are gone, before it is uninstalled, in ms")
    long handover_drain_millis() default 50;
}
