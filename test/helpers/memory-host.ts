// Hosts for tests that never read the disk: the files a test gives as text, and nothing
// else — an include or a partner file it did not give does not exist.
import { overlayHost, type SourceHost } from '../../server/src/core/host';

const NOTHING: SourceHost = { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false };

/** `files` (path → text) and no other file or directory. */
export function memoryHost(files: Map<string, string>): SourceHost {
  return overlayHost(files, NOTHING);
}
