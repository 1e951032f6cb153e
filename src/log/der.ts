// DER prefixes that turn a raw 32-byte Ed25519 seed or public key into PKCS#8 or SPKI (RFC 8410).
// A module without imports, so that the browser's node:crypto shim can share it.

const hex = (s: string): Uint8Array =>
  Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

/** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } } */
export const PKCS8_PREFIX = hex('302e020100300506032b657004220420');
/** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) } */
export const SPKI_PREFIX = hex('302a300506032b6570032100');
