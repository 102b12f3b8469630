using System.Text;
using Mailroom.Connectors.Ews;
using Mailroom.TestSupport.Ews;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>Every request the connector builds, validated against Exchange's own messages.xsd and types.xsd.</summary>
public sealed class EwsRequestSchemaTests
{
    private const string Version = "Exchange2013_SP1";

    public static TheoryData<string> Requests() => ["GetFolder", "SyncFolderHierarchy first", "SyncFolderHierarchy again",
        "SyncFolderItems first", "SyncFolderItems again", "GetItem", "CreateItem", "Subscribe", "GetStreamingEvents"];

    private static byte[] Build(string name) => name switch
    {
        "GetFolder" => EwsRequests.GetFolder(Version, ["inbox", "sentitems", "drafts", "archive", "deleteditems", "junkemail"]),
        "SyncFolderHierarchy first" => EwsRequests.SyncFolderHierarchy(Version, null),
        "SyncFolderHierarchy again" => EwsRequests.SyncFolderHierarchy(Version, "H4sIAAAAAAAEAGNgYGcAAotqE0tH"),
        "SyncFolderItems first" => EwsRequests.SyncFolderItems(Version, "AQMkADllMTlhYmUxAAAA", null, 512),
        "SyncFolderItems again" => EwsRequests.SyncFolderItems(Version, "AQMkADllMTlhYmUxAAAA", "H4sIAAAAAAAEAGNgYGcA", 1),
        "Subscribe" => EwsRequests.SubscribeStreaming(Version),
        "GetStreamingEvents" => EwsRequests.GetStreamingEvents(Version, "JgBzbjFwcjA0bWIxMjIzLm5hbXByZDA0LnByb2Qub3V0bG9vay5jb20QAAAA", 30),
        "GetItem" => EwsRequests.GetItemMime(Version, ["AAMkAD1=", "AAMkAD2=", "AAMkAD3="]),
        "CreateItem" => EwsRequests.SendMime(Version, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Subject: x\r\n\r\nbody line\r\n", 9000)))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Request_validates_against_the_EWS_schemas(string name)
    {
        var schemas = EwsSchemas.Require();
        Assert.Empty(EwsSchemas.Problems(schemas, Build(name)));
    }

    [Fact]
    public void The_validator_rejects_what_Exchange_would_refuse()
    {
        var schemas = EwsSchemas.Require();
        // 513 is above MaxSyncChangesReturnedType's limit; a misspelt distinguished folder is not in the enumeration.
        Assert.NotEmpty(EwsSchemas.Problems(schemas, EwsRequests.SyncFolderItems(Version, "id", null, 513)));
        Assert.NotEmpty(EwsSchemas.Problems(schemas, EwsRequests.GetFolder(Version, ["inboxx"])));
        Assert.NotEmpty(EwsSchemas.Problems(schemas, EwsRequests.GetFolder("Exchange1999", ["inbox"])));
    }

    [Fact]
    public void CreateItem_sends_and_saves_a_copy_with_the_MIME_in_base64()
    {
        var mime = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n");
        var xml = System.Xml.Linq.XDocument.Parse(Encoding.UTF8.GetString(EwsRequests.SendMime(Version, mime)));
        var create = xml.Descendants().Single(e => e.Name.LocalName == "CreateItem");
        Assert.Equal("SendAndSaveCopy", (string?)create.Attribute("MessageDisposition"));
        Assert.Equal(mime, Convert.FromBase64String(create.Descendants().Single(e => e.Name.LocalName == "MimeContent").Value));
    }
}
