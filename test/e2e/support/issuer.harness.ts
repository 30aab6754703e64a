// The real OpenID provider of libs/auth's test support (oidc-provider on loopback), which that
// lib keeps stable for these tests. It is test support, not the lib's src: the relative import is
// deliberate, and done here only.
export { startTestIssuer, type TestIssuer } from '../../../libs/auth/test/support/oidc-provider';
