package io.patchbay.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the watched patch folder, PID {@code io.patchbay.folder}. */
@ObjectClassDefinition(name = "Patchbay watched patch folder")
public @interface FolderConfig {

    @AttributeDefinition(description = "Watch <data>/patches/incoming for patches")
    boolean enabled() default true;

    @AttributeDefinition(description = "How often the folder is looked at, in ms; a file must look the same twice in a row")
    long poll_millis() default 1000;
}
