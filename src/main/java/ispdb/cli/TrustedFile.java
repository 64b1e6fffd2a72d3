package ispdb.cli;

import ispdb.IspdbException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The files ispdb takes its settings and secrets from (the settings file, the password file), checked as ssh's
 * StrictModes checks its own: no one but the caller (or root) may have written the file or be able to replace it,
 * or they could point ispdb at their own server, and the password with it; and a secret may be read by its owner
 * only. The one check of the kind.
 */
final class TrustedFile {
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int GROUP_OR_OTHERS_READ = 0044;
    private static final int STICKY = 01000;

    private TrustedFile() {
    }

    /**
     * Refuses (exit code 2, one sentence saying what to chmod or chown) a file that belongs to another user than the
     * caller or root, or that others may write, or whose folder they may change (a sticky folder such as /tmp
     * excepted: there they cannot replace another's file); and, if it is a {@code secret}, one others may read.
     *
     * @param named the file as the user gave it, for the message ({@code --password-file F}, {@code url in F}...)
     */
    static void require(Path file, String named, boolean secret) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return; // the caller says what is wrong with a file that is not there
        }
        String me = System.getProperty("user.name");
        try {
            String owner = owner(real);
            if (!owner.equals(me) && !owner.equals("root")) {
                throw IspdbException.usage(named + " belongs to " + owner + ", who could make ispdb connect anywhere: "
                        + "use a file of your own (or root's): 'chown " + me + " " + file + "'");
            }
            int mode = mode(real);
            if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
                throw IspdbException.usage(named + " may be changed by other users: make it writable by its owner "
                        + "only with 'chmod go-w " + file + "'");
            }
            if (secret && (mode & GROUP_OR_OTHERS_READ) != 0) {
                throw IspdbException.usage(named + " may be read by other users: make it private with 'chmod 600 "
                        + file + "'");
            }
            Path folder = real.getParent();
            if (folder != null) {
                String folderOwner = owner(folder);
                int folderMode = mode(folder);
                if (!folderOwner.equals(me) && !folderOwner.equals("root")) {
                    throw IspdbException.usage(named + " is in the folder " + folder + " of " + folderOwner
                            + ", who could replace it: use a folder of your own (or root's)");
                }
                if ((folderMode & GROUP_OR_OTHERS_WRITE) != 0 && (folderMode & STICKY) == 0) {
                    throw IspdbException.usage(named + " is in the folder " + folder + ", where other users could "
                            + "replace it: 'chmod go-w " + folder + "'");
                }
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw IspdbException.usage(named + ": " + e.getMessage());
        }
    }

    private static String owner(Path path) throws IOException {
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
