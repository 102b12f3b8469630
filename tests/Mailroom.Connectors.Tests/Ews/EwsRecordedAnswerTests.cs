using Mailroom.Connectors.Ews;
using Mailroom.Core.Connectors;
using Mailroom.TestSupport.Ews;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>The connector's reader over answers a real Exchange Online sent (namespaces, change keys, error codes and all).</summary>
public sealed class EwsRecordedAnswerTests
{
    private static EwsEnvelope Read(EwsRecordings.Answer answer)
    {
        using var stream = new MemoryStream(answer.Body);
        return EwsResponseReader.Read(stream);
    }

    [Fact]
    public void Every_recorded_answer_is_read_with_its_status()
    {
        // Autodiscover's POX answers, a redirect and an HTML error page are not SOAP: every other answer is.
        var answers = EwsRecordings.All().Where(a => System.Text.Encoding.UTF8.GetString(a.Answer.Body).Contains("soap/envelope/", StringComparison.Ordinal)).ToList();
        Assert.Equal(258, answers.Count);
        var codes = new Dictionary<string, int>();
        foreach (var (file, answer) in answers)
        {
            var envelope = Read(answer);
            Assert.Null(envelope.Fault);
            Assert.True(envelope.Messages.Count > 0, $"{file}: {answer.Operation} has no response message");
            foreach (var (status, _) in envelope.Messages)
                codes[status.ResponseCode] = codes.GetValueOrDefault(status.ResponseCode) + 1;
        }
        Assert.Equal(1, codes["ErrorItemNotFound"]);
        Assert.Equal(2, codes.Count);
    }

    [Fact]
    public void SyncFolderItems_answers_give_the_state_the_changes_and_the_end_of_range()
    {
        var answers = EwsRecordings.Load("APITest.testListItemChanges.json").Where(a => a.Operation == "SyncFolderItemsResponse").ToList();
        Assert.Equal(2, answers.Count);

        var first = Read(answers[0]);
        var (status, content) = Assert.Single(first.Messages);
        Assert.True(status.IsSuccess);
        Assert.StartsWith("H4sIAAAAAAAEAGNgYGcAAotqE0tH", content.SyncState, StringComparison.Ordinal);
        Assert.True(content.IncludesLastInRange);
        var change = Assert.Single(content.ItemChanges);
        Assert.Equal(EwsChangeKind.Create, change.Kind);
        Assert.Equal("AAMkADllMTlhYmUxLTg5MTctNDI4ZS1iNDdlLTM2NTk2Y2E5ODA0MwBGAAAAAADW58Si2h5DR47ERsh76m/ZBwC30utV9Qm1Tp6i563HuBDKAAER9URjAAC30utV9Qm1Tp6i563HuBDKAAER9crVAAA=", change.ItemId);
        Assert.Equal("DwAAABYAAAC30utV9Qm1Tp6i563HuBDKAAER7Bmo", change.ChangeKey);
        Assert.Equal("IPM.Appointment", change.ItemClass);
        Assert.Equal(4194, change.Size);
        Assert.Equal("AAQkADllMTlhYmUxLTg5MTctNDI4ZS1iNDdlLTM2NTk2Y2E5ODA0MwAQAFSOJbS17JVPhmlPiAXpeH8=", change.ConversationId);
        Assert.Equal(new DateTimeOffset(2020, 9, 10, 14, 15, 11, TimeSpan.Zero), change.DateTimeReceived);

        var second = Read(answers[1]).Messages.Single().Item2;
        Assert.Empty(second.ItemChanges);
        Assert.NotEqual(content.SyncState, second.SyncState);
    }

    [Fact]
    public void FindItem_and_GetItem_answers_give_message_properties()
    {
        var answers = EwsRecordings.Load("Mail/MailAPITest.testGetSingleMailItem.json");
        var found = Read(answers.First(a => a.Operation == "FindItemResponse" && a.Body.Length > 2000)).Messages.Single().Item2;
        var message = Assert.Single(found.Items);
        Assert.Equal("Message", message.Element);
        Assert.Equal(1958, message.Size);
        Assert.True(message.IsRead); // not IsReadReceiptRequested, which comes first and is false
        Assert.Equal("<DU7PPFC05AD3D4A844B0C3566527EDA9154EE05A@DU7PPFC05AD3D4A.EURP251.PROD.OUTLOOK.COM>", message.InternetMessageId);
        Assert.NotNull(message.ConversationId);
        Assert.NotNull(message.ParentFolderId);
        Assert.True(found.IncludesLastInRange);

        var got = Read(answers.Single(a => a.Operation == "GetItemResponse")).Messages.Single().Item2;
        var item = Assert.Single(got.Items);
        Assert.Equal(message.Id, item.Id);
        Assert.Equal(message.InternetMessageId, item.InternetMessageId);
        Assert.Null(item.Mime); // the recording did not ask for MIME content
    }

    [Fact]
    public void CreateItem_answer_gives_the_new_item_id()
    {
        var created = EwsRecordings.Load("Mail/MailAPITest.testGetMailItems.json").Where(a => a.Operation == "CreateItemResponse")
            .Select(a => Read(a).Messages.Single()).ToList();
        var (status, content) = Assert.Single(created);
        Assert.True(status.IsSuccess);
        var item = Assert.Single(content.Items);
        Assert.Equal("Message", item.Element);
        Assert.Equal("CQAAABYAAAC30utV9Qm1Tp6i563HuBDKAAER7BqA", item.ChangeKey);
    }

    [Fact]
    public void An_error_answer_gives_its_code_and_text_and_is_classified()
    {
        var failed = EwsRecordings.Load("APITest.testDeleteItemsFail.json").Select(a => Read(a).FirstStatus).Single(s => !s.IsSuccess);
        Assert.Equal("ErrorItemNotFound", failed.ResponseCode);
        Assert.StartsWith("The specified object was not found in the store.", failed.MessageText, StringComparison.Ordinal);
        Assert.True(EwsErrors.IsItemGone(failed));
        Assert.False(EwsErrors.IsRetryable(failed));
        Assert.Equal(ConnectorErrorKind.CommandFailed, EwsErrors.KindOf(failed));
    }
}
