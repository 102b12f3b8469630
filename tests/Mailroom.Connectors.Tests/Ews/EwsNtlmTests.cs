using Mailroom.Core.Accounts;
using Mailroom.Connectors.Ews;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Ews;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>
/// NTLM against the fake's server-side MS-NLMP challenge/response (NTLMv2 checked against the password), with .NET's
/// managed NTLM client (System.Net.Security.UseManagedNtlm in this project's runtimeconfig).
/// </summary>
public sealed class EwsNtlmTests
{
    private const string User = "mr2";
    private const string Password = "Ntlm-Pa55word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<FakeEwsServer> StartAsync(FakeEwsMailbox mailbox)
    {
        var server = await FakeEwsServer.StartAsync(mailbox, User, Password, Ct);
        server.Ntlm = true;
        return server;
    }

    [Fact]
    public void MD4_matches_the_RFC_1320_test_suite()
    {
        // The NT hash the fake checks NTLM answers with rests on it.
        Assert.Equal("a448017aaf21d8525fc10ae87aa6729d", Convert.ToHexStringLower(Md4HashOf("abc")));
        Assert.Equal("31d6cfe0d16ae931b73c59d7e0c089c0", Convert.ToHexStringLower(Md4HashOf("")));
        Assert.Equal("e33b4ddc9c38f2199c3e7b164fcc0536", Convert.ToHexStringLower(Md4HashOf(
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890")));
    }

    private static byte[] Md4HashOf(string text) => Md4.Hash(System.Text.Encoding.ASCII.GetBytes(text));

    [Fact]
    public async Task A_session_authenticates_with_NTLM_and_syncs()
    {
        var mailbox = new FakeEwsMailbox();
        mailbox.Deliver(mailbox.FolderId("inbox"), "Message-ID: <n1@mailroom.test>\r\nSubject: ntlm\r\n\r\nhi\r\n"u8.ToArray());
        await using var server = await StartAsync(mailbox);
        using var connector = new EwsConnector(new EwsOptions(), TimeProvider.System, NullLogger<EwsConnector>.Instance);
        var account = new EwsAccount(server.Url, User, Password, EwsAuthentication.Ntlm, FakeEwsServer.TestCa);
        await using var session = await connector.ConnectAsync(1, account, verify: true, Ct);
        var page = await session.SyncFolderItemsAsync(mailbox.FolderId("inbox"), null, Ct);
        Assert.Equal("<n1@mailroom.test>", Assert.Single(page!.Changes).InternetMessageId);
        Assert.InRange(server.NtlmLogins, 1, 2);
        Assert.Equal(["GetFolder", "SyncFolderItems"], server.Operations);
        Assert.Empty(server.Problems);
    }

    [Fact]
    public async Task A_wrong_NTLM_password_is_a_refused_login()
    {
        var mailbox = new FakeEwsMailbox();
        await using var server = await StartAsync(mailbox);
        using var connector = new EwsConnector(new EwsOptions(), TimeProvider.System, NullLogger<EwsConnector>.Instance);
        var account = new EwsAccount(server.Url, User, "not-the-password", EwsAuthentication.Ntlm, FakeEwsServer.TestCa);
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => connector.ConnectAsync(1, account, verify: true, Ct));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, refused.Kind);
        Assert.Equal(0, server.NtlmLogins);
        Assert.Empty(server.Operations);
    }

    [Fact]
    public async Task Basic_credentials_are_refused_by_an_NTLM_only_server()
    {
        var mailbox = new FakeEwsMailbox();
        await using var server = await StartAsync(mailbox);
        using var connector = new EwsConnector(new EwsOptions(), TimeProvider.System, NullLogger<EwsConnector>.Instance);
        var account = new EwsAccount(server.Url, User, Password, EwsAuthentication.Basic, FakeEwsServer.TestCa);
        var refused = await Assert.ThrowsAsync<ConnectorException>(() => connector.ConnectAsync(1, account, verify: true, Ct));
        Assert.Equal(ConnectorErrorKind.AuthenticationFailed, refused.Kind);
    }
}
