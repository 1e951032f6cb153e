// Anything but the visible characters of an address is refused: control characters (a header
// injection), format characters (bidi overrides that make one address look like another), private
// use, separators, noncharacters.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Z}\p{Noncharacter_Code_Point}\uFFFD]/u;

/** A plausible email address: one @, a dotted domain, no spaces, brackets or invisible characters;
 * at most 254 characters. */
export function validEmail(email: string): boolean {
  return (
    email.length <= 254 &&
    email.isWellFormed() &&
    !INVISIBLE.test(email) &&
    /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/.test(email)
  );
}
