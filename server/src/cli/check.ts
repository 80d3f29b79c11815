// `exim-cyrus check`: owned by the Exim model / CLI work.
import { UsageError } from './args';
export async function runCheck(_argv: string[]): Promise<number> {
  throw new UsageError('check is not implemented yet');
}
