// The disk as a place configs are read from, not as the machine they run on: no `stat`, so
// rules about this machine's permissions (link/socket-permission) stay silent and a fixture's
// findings do not depend on whether this machine has, say, Debian's /run/cyrus/socket.
import { configDiskHost, overlayHost, type SourceHost } from '../../server/src/core/host';

export { configDiskHost };

/** `files` (path → text) over configDiskHost. */
export function configOverlayHost(files: Map<string, string>): SourceHost {
  return overlayHost(files, configDiskHost);
}
