using System.Text.Json.Serialization;

namespace Mailroom.Connectors.GmailApi;

// The parts of the Gmail API's schemas (discovery document gmail/v1) that Mailroom reads and writes. int64 fields
// travel as JSON strings, as Google's format "int64" says.

internal sealed record GmailProfileJson(string? EmailAddress, long MessagesTotal, long ThreadsTotal, ulong HistoryId);

internal sealed record GmailLabelJson(string Id, string? Name, string? Type);

internal sealed record GmailLabelListJson(List<GmailLabelJson>? Labels);

internal sealed record GmailMessageJson(
    string? Id, string? ThreadId, List<string>? LabelIds, string? Snippet, ulong? HistoryId, long? InternalDate, int? SizeEstimate,
    [property: JsonConverter(typeof(Base64UrlBytesConverter))] byte[]? Raw);

internal sealed record GmailMessageListJson(List<GmailMessageJson>? Messages, string? NextPageToken, long? ResultSizeEstimate);

internal sealed record GmailHistoryMessageJson(GmailMessageJson? Message);

internal sealed record GmailHistoryLabelJson(GmailMessageJson? Message, List<string>? LabelIds);

internal sealed record GmailHistoryJson(
    ulong Id, List<GmailMessageJson>? Messages, List<GmailHistoryMessageJson>? MessagesAdded, List<GmailHistoryMessageJson>? MessagesDeleted,
    List<GmailHistoryLabelJson>? LabelsAdded, List<GmailHistoryLabelJson>? LabelsRemoved);

internal sealed record GmailHistoryListJson(List<GmailHistoryJson>? History, string? NextPageToken, ulong HistoryId);

internal sealed record GmailSendJson(string? Raw, string? ThreadId);

internal sealed record GmailWatchRequestJson(string TopicName);

internal sealed record GmailWatchResponseJson(ulong HistoryId, long Expiration);

internal sealed record GmailPushDataJson(string? EmailAddress, ulong HistoryId);

internal sealed record PubSubMessageJson(string? Data, string? MessageId);

internal sealed record PubSubReceivedJson(string? AckId, PubSubMessageJson? Message);

internal sealed record PubSubPullJson(List<PubSubReceivedJson>? ReceivedMessages);

// int32 fields travel as JSON numbers (the context writes numbers as strings, Google's rule for int64).
internal sealed record PubSubPullRequestJson([property: JsonNumberHandling(JsonNumberHandling.Strict)] int MaxMessages);

internal sealed record PubSubAckRequestJson(List<string> AckIds);

internal sealed record GmailErrorDetailJson(string? Reason, string? Domain, string? Message);

internal sealed record GmailErrorBodyJson(int Code, string? Message, string? Status, List<GmailErrorDetailJson>? Errors);

internal sealed record GmailErrorJson(GmailErrorBodyJson? Error);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GmailProfileJson))]
[JsonSerializable(typeof(GmailLabelListJson))]
[JsonSerializable(typeof(GmailMessageJson))]
[JsonSerializable(typeof(GmailMessageListJson))]
[JsonSerializable(typeof(GmailHistoryListJson))]
[JsonSerializable(typeof(GmailSendJson))]
[JsonSerializable(typeof(GmailErrorJson))]
[JsonSerializable(typeof(GmailWatchRequestJson))]
[JsonSerializable(typeof(GmailWatchResponseJson))]
[JsonSerializable(typeof(GmailPushDataJson))]
[JsonSerializable(typeof(PubSubPullJson))]
[JsonSerializable(typeof(PubSubPullRequestJson))]
[JsonSerializable(typeof(PubSubAckRequestJson))]
internal sealed partial class GmailJson : JsonSerializerContext;
