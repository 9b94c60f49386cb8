package dev.handoff.api;

/** Handoff was wired or configured wrongly, for example two SPI providers where one was expected. */
public class ConfigurationException extends NonRetriableHandoffException {

    /**
     * A configuration error.
     *
     * @param message what is wrong, naming the setting, the value and what was expected
     */
    public ConfigurationException(String message) {
        super(message);
    }

    /**
     * A configuration error caused by another failure (a file that cannot be read, a key that does not parse).
     *
     * @param message what is wrong, naming the setting, the value and what was expected
     * @param cause   the underlying failure
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Two or more {@link java.util.ServiceLoader} providers were found for an SPI that needs exactly one; thrown by
     * {@code Handoff.builder().build()}.
     *
     * @param spi             the SPI interface
     * @param providerClasses the class names of the providers found
     * @return an exception whose message names every provider and how to choose one
     */
    public static ConfigurationException ambiguousProviders(Class<?> spi, java.util.List<String> providerClasses) {
        return new ConfigurationException("Ambiguous providers for " + spi.getName() + ": " + String.join(" and ", providerClasses)
                + "; set one explicitly on Handoff.builder() or remove all but one from META-INF/services/" + spi.getName());
    }
}
