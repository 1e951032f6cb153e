/** A plausible email address: one @, a dotted domain, no spaces or brackets; at most 254 characters. */
export function validEmail(email: string): boolean {
  return (
    email.length <= 254 &&
    /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/.test(email)
  );
}
