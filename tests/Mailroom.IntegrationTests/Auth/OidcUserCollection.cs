namespace Mailroom.IntegrationTests.Auth;

/// <summary>
/// The OAuth tests share the one OAuth2 test user (mr12) and count the provider's requests: they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OidcUserCollection
{
    public const string Name = "oidc-user-mr12";
}
