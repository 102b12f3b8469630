using Mailroom.Core.Accounts;
using Mailroom.Storage.Model;

namespace Mailroom.Storage.Tests;

/// <summary>The stored words of protocols and states: fixed, whatever the members are called, and complete.</summary>
public sealed class MailboxTextTests
{
    [Theory]
    [InlineData(MailboxProtocol.Imap, "imap")]
    [InlineData(MailboxProtocol.Pop3, "pop3")]
    [InlineData(MailboxProtocol.Archive, "archive")]
    public void Protocol_is_stored_as_its_word_and_read_back(MailboxProtocol protocol, string word)
    {
        Assert.Equal(word, MailboxText.ToText(protocol));
        Assert.Equal(protocol, MailboxText.ToProtocol(word));
    }

    [Theory]
    [InlineData(MailboxState.New, "new")]
    [InlineData(MailboxState.Ok, "ok")]
    [InlineData(MailboxState.Partial, "partial")]
    [InlineData(MailboxState.Error, "error")]
    [InlineData(MailboxState.AuthFailed, "auth_failed")]
    [InlineData(MailboxState.NeedsReauth, "needs_reauth")]
    [InlineData(MailboxState.Removed, "removed")]
    public void State_is_stored_as_its_word_and_read_back(MailboxState state, string word)
    {
        Assert.Equal(word, MailboxText.ToText(state));
        Assert.Equal(state, MailboxText.ToState(word));
    }

    [Fact]
    public void Every_member_has_a_distinct_word()
    {
        Assert.Equal(Enum.GetValues<MailboxProtocol>().Length, Enum.GetValues<MailboxProtocol>().Select(MailboxText.ToText).Distinct().Count());
        Assert.Equal(Enum.GetValues<MailboxState>().Length, Enum.GetValues<MailboxState>().Select(MailboxText.ToText).Distinct().Count());
    }

    [Theory]
    [InlineData("IMAP")]
    [InlineData("gmail")]
    [InlineData("")]
    public void An_unknown_stored_protocol_is_an_error_not_a_guess(string text) =>
        Assert.Throws<InvalidOperationException>(() => MailboxText.ToProtocol(text));
}
