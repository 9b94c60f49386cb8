package dev.handoff.core.internal;

import dev.handoff.api.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds SPI implementations with {@link ServiceLoader}; refuses to guess when there are two. */
public final class Providers {

    private Providers() {
    }

    /**
     * @return the single provider of {@code spi} on the class path or module path, or empty when none
     * @throws ConfigurationException when two or more are found (naming each) or one cannot be instantiated
     */
    public static <T> Optional<T> single(Class<T> spi, ClassLoader loader) {
        List<T> found = new ArrayList<>();
        try {
            for (T provider : ServiceLoader.load(spi, loader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("Cannot load a provider of " + spi.getName() + ": " + e.getMessage(), e);
        }
        if (found.size() > 1) {
            throw ConfigurationException.ambiguousProviders(spi, found.stream().map(p -> p.getClass().getName()).toList());
        }
        return found.stream().findFirst();
    }
}
