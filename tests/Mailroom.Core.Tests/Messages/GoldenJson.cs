using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Tests.Messages;

/// <summary>
/// The baseline form of a <see cref="NormalizedMessage"/>: indented, properties in declaration order, non-ASCII text
/// kept readable, LF line endings on every platform.
/// </summary>
internal static class GoldenJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";
}
