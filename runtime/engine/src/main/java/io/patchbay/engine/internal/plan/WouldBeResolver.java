package io.patchbay.engine.internal.plan;

import aQute.bnd.osgi.Domain;
import aQute.bnd.osgi.resource.ResourceBuilder;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.ResolveContext;
import org.osgi.service.resolver.Resolver;

/**
 * Resolves the state the framework would be in after a patch, with the OSGi resolver, without
 * installing anything: the patched bundles (as resources built from their manifests) and the
 * bundles of the refresh closure must resolve against everything else as it is wired now.
 * An unresolvable patch is refused with the requirement nothing satisfies, named.
 */
public final class WouldBeResolver {

    private final Resolver resolver;

    public WouldBeResolver(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @param installed  every installed bundle
     * @param replaced   bundles the patch replaces or removes (their current revisions leave the pool)
     * @param closure    bundles that would be refreshed (re-resolved)
     * @param newBundles manifests of the bundles the patch installs or updates, by symbolic name
     */
    void check(Collection<Bundle> installed, Set<Bundle> replaced, Collection<Bundle> closure,
            Map<String, Manifest> newBundles) throws PatchException {
        List<Resource> pool = new ArrayList<>();
        Map<Resource, Wiring> wirings = new HashMap<>();
        List<Resource> mandatory = new ArrayList<>();
        Map<Resource, String> names = new LinkedHashMap<>();
        Set<Bundle> closureSet = new HashSet<>(closure);
        for (Bundle bundle : installed) {
            if (replaced.contains(bundle) || bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            pool.add(revision);
            names.put(revision, bundle.getSymbolicName() + " " + bundle.getVersion());
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (closureSet.contains(bundle)) {
                mandatory.add(revision);
            } else if (wiring != null && wiring.isInUse()) {
                wirings.put(revision, wiring);
            }
        }
        for (Map.Entry<String, Manifest> entry : newBundles.entrySet()) {
            Resource resource = resourceOf(entry.getKey(), entry.getValue());
            pool.add(resource);
            mandatory.add(resource);
            names.put(resource, entry.getKey() + " " + entry.getValue().getMainAttributes().getValue("Bundle-Version"));
        }
        Context context = new Context(pool, wirings, mandatory);
        try {
            resolver.resolve(context);
        } catch (ResolutionException e) {
            throw new PatchException(Stage.PLAN, explain(e, context, names));
        }
    }

    private static Resource resourceOf(String symbolicName, Manifest manifest) throws PatchException {
        try {
            ResourceBuilder builder = new ResourceBuilder();
            builder.addManifest(Domain.domain(manifest));
            return builder.build();
        } catch (Exception e) {
            throw new PatchException(Stage.PLAN, "bundle " + symbolicName + " has a manifest header the resolver cannot read: "
                    + e.getMessage());
        }
    }

    private static String explain(ResolutionException e, Context context, Map<Resource, String> names) {
        for (Requirement requirement : e.getUnresolvedRequirements()) {
            if (context.findProviders(requirement).isEmpty() && !isOptional(requirement)) {
                String who = names.getOrDefault(requirement.getResource(), identity(requirement.getResource()));
                return "patch does not resolve: " + who + " requires " + describe(requirement)
                        + ", which nothing provides";
            }
        }
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return "patch does not resolve: " + (newline < 0 ? message : message.substring(0, newline));
    }

    static String describe(Requirement requirement) {
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        String namespace = requirement.getNamespace();
        String kind = switch (namespace) {
            case "osgi.wiring.package" -> "package";
            case "osgi.wiring.bundle" -> "bundle";
            case "osgi.wiring.host" -> "host bundle";
            case "osgi.service" -> "service";
            default -> namespace;
        };
        return kind + " " + (filter == null ? "(any)" : filter);
    }

    private static boolean isOptional(Requirement requirement) {
        return Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
    }

    private static String identity(Resource resource) {
        for (Capability capability : resource.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
            return capability.getAttributes().get(IdentityNamespace.IDENTITY_NAMESPACE) + " "
                    + capability.getAttributes().get(IdentityNamespace.CAPABILITY_VERSION_ATTRIBUTE);
        }
        return String.valueOf(resource);
    }

    /** The would-be world: a fixed pool of resources, the wirings that stay, and what must resolve. */
    private static final class Context extends ResolveContext {

        private final List<Resource> pool;
        private final Map<Resource, Wiring> wirings;
        private final List<Resource> mandatory;

        Context(List<Resource> pool, Map<Resource, Wiring> wirings, List<Resource> mandatory) {
            this.pool = pool;
            this.wirings = wirings;
            this.mandatory = mandatory;
        }

        @Override
        public Collection<Resource> getMandatoryResources() {
            return mandatory;
        }

        @Override
        public List<Capability> findProviders(Requirement requirement) {
            List<Capability> providers = new ArrayList<>();
            String filterText = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            org.osgi.framework.Filter filter;
            try {
                filter = filterText == null ? null : FrameworkUtil.createFilter(filterText);
            } catch (InvalidSyntaxException e) {
                return providers;
            }
            for (Resource resource : pool) {
                for (Capability capability : resource.getCapabilities(requirement.getNamespace())) {
                    String effective = capability.getDirectives().get(Namespace.CAPABILITY_EFFECTIVE_DIRECTIVE);
                    if (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
                        continue;
                    }
                    if (filter == null || filter.matches(capability.getAttributes())) {
                        providers.add(capability);
                    }
                }
            }
            return providers;
        }

        @Override
        public int insertHostedCapability(List<Capability> capabilities, org.osgi.service.resolver.HostedCapability hosted) {
            capabilities.add(hosted);
            return capabilities.size() - 1;
        }

        @Override
        public boolean isEffective(Requirement requirement) {
            String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            return effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective);
        }

        @Override
        public Map<Resource, Wiring> getWirings() {
            return wirings;
        }
    }
}
