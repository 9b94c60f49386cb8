package dev.handoff.api;

/** Handoff was wired or configured wrongly, for example two SPI providers where one was expected. */
public class ConfigurationException extends NonRetriableHandoffException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Two or more {@link java.util.ServiceLoader} providers were found for an SPI that needs exactly one. */
    public static ConfigurationException ambiguousProviders(Class<?> spi, java.util.List<String> providerClasses) {
        return new ConfigurationException("Ambiguous providers for " + spi.getName() + ": " + String.join(" and ", providerClasses)
                + "; set one explicitly on Handoff.builder() or remove all but one from META-INF/services/" + spi.getName());
    }
}
