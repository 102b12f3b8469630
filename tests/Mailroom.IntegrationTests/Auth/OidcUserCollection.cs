namespace Mailroom.IntegrationTests.Auth;

/// <summary>The OAuth tests share the one OAuth2 test user (mr12) and its mailbox: they run one after another.</summary>
[CollectionDefinition]
public sealed class OidcUserCollection;
