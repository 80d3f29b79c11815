// Public face of the LMTP callout: the language server and the CLI call only these.
export { callout, randomLocalPart, DEFAULT_TIMEOUT_MS, type CalloutOptions, type Credentials } from './callout';
export { socketmapLookup, netstring, parseSocketmapAnswer, type SocketmapOptions, type SocketmapStatus } from './socketmap';
export { parseTarget, formatTarget, type Target, type TargetParse } from './target';
export { parseReply, replyClass, type Reply } from './reply';
export { recipientError, senderError, domainOf } from './address';
export type * from './types';
export { eximCalloutTargets, cyrusCalloutTargets, servicePort, type CalloutCandidate, type DiscoveryResult } from './discover';
