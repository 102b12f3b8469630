using System.Text.Json.Serialization;

namespace Mailroom.Connectors.Graph;

// The parts of Graph v1.0's entity types (CSDL microsoft.graph.mailFolder, message, followupFlag) that Mailroom reads,
// with the OData annotations of collections and delta. Names are checked against the CSDL by the tests.

internal sealed record GraphFolderJson(string? Id, string? DisplayName, string? ParentFolderId, int? TotalItemCount,
    [property: JsonPropertyName("@removed")] GraphRemovedJson? Removed);

internal sealed record GraphFolderPageJson(
    List<GraphFolderJson>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink,
    [property: JsonPropertyName("@odata.deltaLink")] string? DeltaLink);

internal sealed record GraphRemovedJson(string? Reason);

internal sealed record GraphFlagJson(string? FlagStatus);

internal sealed record GraphMessageJson(
    string? Id, string? ConversationId, bool? IsRead, GraphFlagJson? Flag, List<string>? Categories, DateTimeOffset? ReceivedDateTime,
    [property: JsonPropertyName("@removed")] GraphRemovedJson? Removed);

internal sealed record GraphMessagePageJson(
    List<GraphMessageJson>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink,
    [property: JsonPropertyName("@odata.deltaLink")] string? DeltaLink);

internal sealed record GraphSubscriptionJson(
    string? Id, string? ChangeType, string? NotificationUrl, string? LifecycleNotificationUrl, string? Resource,
    DateTimeOffset? ExpirationDateTime, string? ClientState);

internal sealed record GraphSubscriptionPageJson(
    List<GraphSubscriptionJson>? Value,
    [property: JsonPropertyName("@odata.nextLink")] string? NextLink);

internal sealed record GraphIdJson(string? Id);

internal sealed record GraphFileAttachmentJson(
    [property: JsonPropertyName("@odata.type")] string ODataType, string Name, string ContentType, bool IsInline, string? ContentId, byte[] ContentBytes);

internal sealed record GraphAttachmentItemJson(string AttachmentType, string Name, long Size, string ContentType, bool IsInline, string? ContentId);

internal sealed record GraphUploadSessionRequestJson([property: JsonPropertyName("AttachmentItem")] GraphAttachmentItemJson AttachmentItem);

internal sealed record GraphUploadSessionJson(string? UploadUrl, DateTimeOffset? ExpirationDateTime);

internal sealed record GraphBatchItemRequestJson(string Id, string Method, string Url, Dictionary<string, string> Headers);

internal sealed record GraphBatchRequestJson(List<GraphBatchItemRequestJson> Requests);

internal sealed record GraphBatchItemResponseJson(string? Id, int Status, Dictionary<string, string>? Headers, System.Text.Json.JsonElement? Body);

internal sealed record GraphBatchResponseJson(List<GraphBatchItemResponseJson>? Responses);

internal sealed record GraphErrorBodyJson(string? Code, string? Message);

internal sealed record GraphErrorJson(GraphErrorBodyJson? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GraphFolderJson))]
[JsonSerializable(typeof(GraphFolderPageJson))]
[JsonSerializable(typeof(GraphMessagePageJson))]
[JsonSerializable(typeof(GraphErrorJson))]
[JsonSerializable(typeof(GraphSubscriptionJson))]
[JsonSerializable(typeof(GraphIdJson))]
[JsonSerializable(typeof(GraphBatchRequestJson))]
[JsonSerializable(typeof(GraphBatchResponseJson))]
[JsonSerializable(typeof(GraphFileAttachmentJson))]
[JsonSerializable(typeof(GraphUploadSessionRequestJson))]
[JsonSerializable(typeof(GraphUploadSessionJson))]
[JsonSerializable(typeof(GraphSubscriptionPageJson))]
internal sealed partial class GraphJson : JsonSerializerContext
{
    /// <summary>The message properties a delta asks for ($select): what <see cref="GraphMessageJson"/> reads.</summary>
    public const string MessageSelect = "conversationId,isRead,flag,categories,receivedDateTime";
}
