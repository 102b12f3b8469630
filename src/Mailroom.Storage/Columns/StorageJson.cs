using System.Text.Json.Serialization;
using Mailroom.Core.Messages;

namespace Mailroom.Storage.Columns;

/// <summary>The JSON columns (references, problems, calendar events), serialized without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<CalendarEventInfo>))]
internal sealed partial class StorageJson : JsonSerializerContext;
