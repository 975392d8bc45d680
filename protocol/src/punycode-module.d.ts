// The punycode package ships no types; email-domain.ts uses only its RFC 3492 decoder. Referenced
// from there, so every program that compiles the protocol's source (web, server) sees it.
declare module "punycode/punycode.es6.js" {
  /** A label's punycode (without `xn--`) as Unicode; throws a RangeError when it is not valid. */
  export function decode(input: string): string;
}
