/**
 * Handoff API: the immutable domain model, the SPI contracts, the lifecycle events and the exception
 * hierarchy. Implementations live in other modules; this module holds no behaviour beyond validation of
 * single values.
 */
module dev.handoff.api {
    requires transitive jakarta.validation;
    requires transitive com.fasterxml.jackson.annotation;
    // JSpecify nullness (@NullMarked packages, @Nullable where a value may be absent). Static: the annotations are
    // for compilers and null checkers, nothing reads them at run time, so a consumer that leaves the jar out still
    // runs. Transitive: every module that reads this one reads org.jspecify when compiling, so its null checker sees
    // the annotations on our signatures. The Maven dependency is compile scope, so the jar is there by default.
    requires static transitive org.jspecify;

    exports dev.handoff.api;
    exports dev.handoff.api.context;
    exports dev.handoff.api.event;
    exports dev.handoff.api.spi;

    // Jackson binds the records and Hibernate Validator reads their constraints reflectively.
    opens dev.handoff.api to com.fasterxml.jackson.databind, org.hibernate.validator;
    opens dev.handoff.api.context to com.fasterxml.jackson.databind, org.hibernate.validator;
    opens dev.handoff.api.event to com.fasterxml.jackson.databind;
}
