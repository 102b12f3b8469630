using Mailroom.Core.Storage;
using Mailroom.Server.Tests.Api;

namespace Mailroom.Server.Tests.OAuth;

/// <summary>
/// The web app with an OAuth provider whose endpoints are configured (nothing is fetched from it), two organizations
/// with their keys, and a mailbox of B.
/// </summary>
public sealed class OAuthLinkApp : IAsyncLifetime
{
    public const string Provider = "test";
    public const string AuthorizeEndpoint = "https://provider.invalid/authorize";

    public ApiTestApp App { get; } = new();
    public string KeyA { get; private set; } = "";
    public string KeyB { get; private set; } = "";
    internal MailboxRecord MailboxB { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App.Settings[$"OAuth:Providers:{Provider}:ClientId"] = "mailroom";
        App.Settings[$"OAuth:Providers:{Provider}:AuthorizationEndpoint"] = AuthorizeEndpoint;
        App.Settings[$"OAuth:Providers:{Provider}:TokenEndpoint"] = "https://provider.invalid/token";
        await App.InitializeAsync();
        (_, KeyA) = await App.NewOrganizationAsync("a");
        var (orgB, keyB) = await App.NewOrganizationAsync("b");
        KeyB = keyB;
        MailboxB = await App.NewMailboxAsync(orgB, "b1");
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
