using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mailroom.Server;

/// <summary>
/// The words users read and type for an enum value (<c>starttls</c>, <c>auth_failed</c>, <c>pop3</c>): in text output,
/// <c>--help</c>, command-line values, JSON and the API. One rule, the JSON converter's: lower snake case of the member
/// name, or the member's <see cref="JsonStringEnumMemberNameAttribute"/> where that reads better. <see cref="Converter"/>
/// applies the same rule to JSON, so printed and serialized words cannot differ.
/// </summary>
internal static class EnumWords
{
    /// <summary>The JSON converter the CLI and the API serialize with.</summary>
    public static JsonStringEnumConverter Converter() => new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: true);

    public static string Of<T>(T value) where T : struct, Enum =>
        Table<T>.Words.TryGetValue(value, out var word) ? word : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>The words of every value, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Table<T>.Ordered;

    /// <summary>"tls, starttls or none", for error messages.</summary>
    public static string Choices<T>() where T : struct, Enum =>
        Table<T>.Ordered.Count == 1 ? Table<T>.Ordered[0] : string.Join(", ", Table<T>.Ordered.SkipLast(1)) + " or " + Table<T>.Ordered[^1];

    /// <summary>"tls|starttls|none", for <c>--help</c>.</summary>
    public static string HelpName<T>() where T : struct, Enum => string.Join('|', Table<T>.Ordered);

    /// <summary>Parses a word, ignoring case; numbers and member names that are not the word are refused.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Table<T>.Values.TryGetValue(text?.Trim() ?? "", out value);

    private static class Table<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Words = typeof(T)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToFrozenDictionary(
                f => (T)f.GetValue(null)!,
                f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name));

        public static readonly IReadOnlyList<string> Ordered = [.. Enum.GetValues<T>().Select(v => Words[v])];

        public static readonly FrozenDictionary<string, T> Values =
            Words.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);
    }
}
