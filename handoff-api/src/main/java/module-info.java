/**
 * Handoff API: the immutable domain model, the SPI contracts, the lifecycle events and the exception
 * hierarchy. Implementations live in other modules; this module holds no behaviour beyond validation of
 * single values.
 */
module dev.handoff.api {
    requires transitive jakarta.validation;
    requires transitive com.fasterxml.jackson.annotation;

    exports dev.handoff.api;
    exports dev.handoff.api.context;
    exports dev.handoff.api.event;
    exports dev.handoff.api.spi;

    // Jackson binds the records and Hibernate Validator reads their constraints reflectively.
    opens dev.handoff.api to com.fasterxml.jackson.databind, org.hibernate.validator;
    opens dev.handoff.api.context to com.fasterxml.jackson.databind, org.hibernate.validator;
    opens dev.handoff.api.event to com.fasterxml.jackson.databind;
}
