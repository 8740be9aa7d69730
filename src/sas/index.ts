// Which key signed a SAS token. Pure functions: the caller brings the token, the keys and what
// the consumer points at.
export { parseSasTime, parseSasToken, type ParsedSas, type SasKind } from './token.js';
export {
  LATEST_KNOWN_VERSION,
  stringToSign,
  type SasResource,
  type StringToSign,
} from './string-to-sign.js';
export { signedBy, type AccountKeys, type SasVerdict, type SignedBy } from './signed-by.js';
export { storageTargetFromUrl, type StorageTarget } from './resource.js';
export { reissue, type Reissued } from './reissue.js';
