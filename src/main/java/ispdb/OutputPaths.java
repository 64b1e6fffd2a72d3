package ispdb;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What every file ispdb writes for the user (a reject file, an export's --output) needs to know about the path it
 * was given: where its links end, whether it names this process's own standard output or error, and how to make
 * the private temporary file that replaces it when complete.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** Attributes of a file only its owner may read and write (rw-------), where the file system has them. */
    public static FileAttribute<?>[] privateFile() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    /**
     * Where a chain of symbolic links ends (the path itself if it is none); a dangling link's target too.
     *
     * @param option the option that gave the path, for the messages (such as {@code --reject-file})
     */
    public static Path followLinks(String option, Path path) {
        Path p = path;
        for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
            try {
                Path link = Files.readSymbolicLink(p);
                Path parent = p.toAbsolutePath().getParent();
                p = parent == null ? link : parent.resolve(link).normalize();
            } catch (IOException e) {
                throw IspdbException.usage("cannot follow the link " + path + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        if (Files.isSymbolicLink(p)) {
            throw IspdbException.usage(option + " " + path + " is a loop of symbolic links");
        }
        return p;
    }

    /** Standard output or error when the path names it (/dev/stdout, /dev/fd/1, /proc/self/fd/2, ...), else null. */
    public static FileDescriptor ownDescriptor(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        return switch (p) {
            case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1" -> FileDescriptor.out;
            case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2" -> FileDescriptor.err;
            default -> null;
        };
    }
}
