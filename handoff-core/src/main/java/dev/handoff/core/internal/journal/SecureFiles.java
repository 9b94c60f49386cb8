package dev.handoff.core.internal.journal;

import dev.handoff.api.ConfigurationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files that hold contexts are readable by their owner only: {@code 0600} in a {@code 0700} directory. Directories
 * are created {@code 0700}; an existing directory that lets group or others in is refused. On file systems without
 * POSIX permissions (Windows) nothing is checked.
 */
public final class SecureFiles {

    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SecureFiles() {
    }

    /**
     * Creates the directory (and missing parents) {@code 0700}, or checks that an existing one is private.
     *
     * @throws ConfigurationException naming the directory and its permissions when group or others can use it
     */
    public static void privateDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (!Files.exists(absolute)) {
            Path parent = absolute.getParent();
            if (parent != null && !Files.exists(parent)) {
                privateDirectory(parent);
            }
            if (POSIX) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
                Files.setPosixFilePermissions(absolute, DIRECTORY); // the umask may have taken bits away, never added
            } else {
                Files.createDirectory(absolute);
            }
            if (parent != null) {
                forceDirectory(parent);
            }
            return;
        }
        if (POSIX) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(absolute);
            if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                throw new ConfigurationException("directory " + absolute + " is " + PosixFilePermissions.toString(perms)
                        + "; Handoff's data files (they hold customer data and ids) must be in a directory only the"
                        + " owner can open (rwx------): run chmod 700 on it or choose another directory");
            }
        }
    }

    /** Makes an existing file {@code 0600} (it may have been created by an older version or by hand). */
    public static void privateFile(Path file) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Opens a channel on a file, creating it {@code 0600} when missing. */
    public static FileChannel open(Path file, StandardOpenOption... options) throws IOException {
        Set<StandardOpenOption> set = EnumSet.noneOf(StandardOpenOption.class);
        set.addAll(java.util.List.of(options));
        boolean existed = Files.exists(file);
        FileChannel ch = POSIX && set.contains(StandardOpenOption.CREATE) || POSIX && set.contains(StandardOpenOption.CREATE_NEW)
                ? FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, set);
        privateFile(file);
        if (!existed && file.toAbsolutePath().getParent() != null) {
            forceDirectory(file.toAbsolutePath().getParent());
        }
        return ch;
    }

    /** Forces a directory's entries to disk (a created or renamed file is durable only then). */
    public static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a directory; the rename or create is still atomic there
        }
    }
}
