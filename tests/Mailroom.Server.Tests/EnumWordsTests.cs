using Mailroom.Core.Accounts;
using Mailroom.Core.Threading;

namespace Mailroom.Server.Tests;

/// <summary>The words users read and type: lower case, the README's and the API's, the same in text and JSON.</summary>
public sealed class EnumWordsTests
{
    [Fact]
    public void Security_words_are_the_ones_users_type() =>
        Assert.Equal(["tls", "starttls", "none"], EnumWords.All<TransportSecurity>());

    [Fact]
    public void Protocol_and_state_words_are_the_stored_ones()
    {
        Assert.Equal(["imap", "pop3", "archive", "gmail-api", "graph", "ews"], EnumWords.All<MailboxProtocol>());
        Assert.Equal(["new", "ok", "partial", "error", "auth_failed", "needs_reauth", "removed"], EnumWords.All<MailboxState>());
    }

    [Fact]
    public void An_OAuth_context_names_a_provider_API_by_its_protocol_word()
    {
        // /oauth/start writes EnumWords.Of(protocol) into the context; the flow picks the API's scopes by these words.
        Assert.Equal(Mailroom.Connectors.Auth.OAuthEndpoints.GmailApiProtocol, EnumWords.Of(MailboxProtocol.GmailApi));
        Assert.Equal(Mailroom.Connectors.Auth.OAuthEndpoints.GraphProtocol, EnumWords.Of(MailboxProtocol.Graph));
    }

    [Fact]
    public void Other_shown_enums_keep_the_api_words()
    {
        Assert.Equal(["root", "reference", "providerid", "subject"], EnumWords.All<ThreadReason>());
        Assert.Equal(["all", "contacts"], EnumWords.All<MailboxScope>());
        Assert.Equal("filed_by_server", EnumWords.Of(Mailroom.Core.Sending.SentCopyState.FiledByServer));
        Assert.Equal("sent", EnumWords.Of(Mailroom.Core.Sync.FolderRole.Sent));
    }

    [Theory]
    [InlineData("starttls", TransportSecurity.StartTls)]
    [InlineData("STARTTLS", TransportSecurity.StartTls)]
    [InlineData(" tls ", TransportSecurity.Tls)]
    [InlineData("none", TransportSecurity.None)]
    public void Words_parse_ignoring_case(string text, TransportSecurity expected)
    {
        Assert.True(EnumWords.TryParse<TransportSecurity>(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("ssl")]
    [InlineData("start_tls")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void Member_names_numbers_and_nothing_are_not_words(string? text) =>
        Assert.False(EnumWords.TryParse<TransportSecurity>(text, out _));

    [Fact]
    public void Json_writes_the_same_words_as_text()
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { EnumWords.Converter() } };
        foreach (var value in Enum.GetValues<TransportSecurity>())
            Assert.Equal($"\"{EnumWords.Of(value)}\"", System.Text.Json.JsonSerializer.Serialize(value, options));
        foreach (var value in Enum.GetValues<MailboxState>())
            Assert.Equal($"\"{EnumWords.Of(value)}\"", System.Text.Json.JsonSerializer.Serialize(value, options));
        foreach (var value in Enum.GetValues<ThreadReason>())
            Assert.Equal($"\"{EnumWords.Of(value)}\"", System.Text.Json.JsonSerializer.Serialize(value, options));
    }

    [Fact]
    public void Choices_and_help_name_list_every_word()
    {
        Assert.Equal("tls, starttls or none", EnumWords.Choices<TransportSecurity>());
        Assert.Equal("tls|starttls|none", EnumWords.HelpName<TransportSecurity>());
    }
}
