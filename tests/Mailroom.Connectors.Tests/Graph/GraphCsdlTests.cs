using System.Text.Json.Nodes;
using Mailroom.TestSupport.Graph;

namespace Mailroom.Connectors.Tests.Graph;

/// <summary>The CSDL check that holds the fake and the connector to Graph v1.0 catches what it must.</summary>
public sealed class GraphCsdlTests
{
    [Fact]
    public void The_properties_the_connector_selects_and_reads_exist_in_graph_v1()
    {
        GraphSessionTests.RequireCsdl();
        Assert.Empty(GraphCsdl.UnknownProperties("message", ["conversationId", "isRead", "flag", "categories", "receivedDateTime", "parentFolderId"]));
        Assert.Empty(GraphCsdl.UnknownProperties("mailFolder", ["displayName", "parentFolderId", "totalItemCount"]));
        Assert.Empty(GraphCsdl.Check("followupFlag", new JsonObject { ["flagStatus"] = "flagged" }));
    }

    [Fact]
    public void Wrong_names_types_and_enum_members_are_caught()
    {
        GraphSessionTests.RequireCsdl();
        // v1.0's mailFolder has no wellKnownName (beta has): a fake serving it would teach the connector a lie.
        Assert.Single(GraphCsdl.Check("mailFolder", new JsonObject { ["id"] = "x", ["wellKnownName"] = "inbox" }));
        Assert.Single(GraphCsdl.Check("message", new JsonObject { ["isRead"] = "true" }));
        Assert.Single(GraphCsdl.Check("message", new JsonObject { ["categories"] = "Red" }));
        Assert.Single(GraphCsdl.Check("message", new JsonObject { ["receivedDateTime"] = "yesterday" }));
        Assert.Single(GraphCsdl.Check("message", new JsonObject { ["flag"] = new JsonObject { ["flagStatus"] = "starred" } }));
        Assert.Equal(["threadId"], GraphCsdl.UnknownProperties("message", ["isRead", "threadId"]));
        Assert.Empty(GraphCsdl.Check("message", new JsonObject { ["id"] = "x", ["@removed"] = new JsonObject { ["reason"] = "deleted" } }));
    }
}
