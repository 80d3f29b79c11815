// `exim-cyrus callout`: owned by the LMTP callout work.
import { UsageError } from './args';
export async function runCallout(_argv: string[]): Promise<number> {
  throw new UsageError('callout is not implemented yet');
}
