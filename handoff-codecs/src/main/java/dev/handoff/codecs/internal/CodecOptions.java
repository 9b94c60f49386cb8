package dev.handoff.codecs.internal;

import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.DestinationPackager;
import java.util.Objects;

/**
 * The options every codec's builder shares, held by the builder and delegated to: core's packager (required), whether
 * the platform is cleared for protected data (default false) and the transcript page size named in a summary's paging
 * note (default {@link DestinationLimits#DEFAULT_PAGE_SIZE}); plus the range checks of each codec's own limits, which
 * name the option, the bound and the value. {@link #packaging()} is what the built codec keeps.
 *
 * <p>Not thread-safe: a builder's state, used on the thread that configures the codec.
 */
public final class CodecOptions {

    private final DestinationPackager packager;
    private boolean phiAllowed;
    private int pageSize = DestinationLimits.DEFAULT_PAGE_SIZE;

    /** @throws NullPointerException naming {@code packager} when it is null */
    public CodecOptions(DestinationPackager packager) {
        this.packager = Objects.requireNonNull(packager, "packager");
    }

    public void phiAllowed(boolean value) {
        this.phiAllowed = value;
    }

    /** @throws IllegalArgumentException when {@code value} is below 1 */
    public void pageSize(int value) {
        this.pageSize = atLeast("pageSize", value, 1);
    }

    /** What the built codec hands {@link Fit#fit}. */
    public Fit.Packaging packaging() {
        return new Fit.Packaging(packager, phiAllowed, pageSize);
    }

    /** @throws IllegalArgumentException "{@code name} must be at least {@code min}, was {@code value}" */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException "{@code name} must be from {@code min} to {@code max}, was {@code value}" */
    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + value);
        }
        return value;
    }
}
