using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mailroom.Connectors.GmailApi;

/// <summary>
/// A base64url JSON string (Gmail's format "byte": a message's <c>raw</c>) read straight from the UTF-8 answer into bytes,
/// without the string in between: the raw MIME is most of what a sync reads.
/// </summary>
internal sealed class Base64UrlBytesConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("a base64url string was expected");
        if (reader.ValueIsEscaped || reader.HasValueSequence)
            return Base64Url.Decode(reader.GetString()!);
        var span = reader.ValueSpan;
        while (span.Length > 0 && span[^1] == (byte)'=')
            span = span[..^1];
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromUtf8(span);
        }
        catch (FormatException ex)
        {
            throw new JsonException("not base64url", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Base64Url.Encode(value));
}
