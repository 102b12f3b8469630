using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mailroom.TestSupport.Gmail;

/// <summary>
/// Checks JSON against the Gmail API's schemas as its discovery document states them (Discovery/gmail-v1-schemas.json):
/// only known properties, the discovery types (int64 and uint64 as decimal strings, int32 as numbers, byte as
/// base64url), arrays and references. The fake checks what it answers and what it is sent with this.
/// </summary>
public static class GmailSchemas
{
    private static readonly Lazy<JsonObject> Schemas = new(() =>
    {
        using var stream = typeof(GmailSchemas).Assembly.GetManifestResourceStream("gmail-v1-schemas.json")
            ?? throw new InvalidOperationException("the embedded Gmail schemas are missing");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>What in <paramref name="json"/> the schema <paramref name="schema"/> does not allow; empty when it conforms.</summary>
    public static List<string> Check(string schema, string json)
    {
        var errors = new List<string>();
        Check(Schemas.Value[schema] ?? throw new ArgumentException($"no schema {schema}", nameof(schema)), JsonNode.Parse(json), schema, errors);
        return errors;
    }

    /// <summary>Throws when <paramref name="json"/> does not conform: a fake that drifts must fail the test.</summary>
    public static void Require(string schema, string json)
    {
        var errors = Check(schema, json);
        if (errors.Count > 0)
            throw new InvalidOperationException($"JSON does not conform to the Gmail API schema {schema}: {string.Join("; ", errors)}");
    }

    private static void Check(JsonNode schema, JsonNode? value, string path, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(Schemas.Value[reference]!, value, path, errors);
            return;
        }
        if (value is null)
        {
            errors.Add($"{path}: null");
            return;
        }
        var type = schema["type"]!.GetValue<string>();
        var format = schema["format"]?.GetValue<string>();
        switch (type)
        {
            case "object" when value is JsonObject obj:
                var properties = schema["properties"]!.AsObject();
                foreach (var (name, child) in obj)
                {
                    if (properties[name] is { } property)
                        Check(property, child, $"{path}.{name}", errors);
                    else
                        errors.Add($"{path}.{name}: not a property of the schema");
                }
                break;
            case "array" when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    Check(schema["items"]!, array[i], $"{path}[{i}]", errors);
                break;
            case "string" when value is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (format is "int64" && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    || format is "uint64" && !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    errors.Add($"{path}: '{text}' is not a {format}");
                if (format == "byte" && text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/' or '=')))
                    errors.Add($"{path}: not base64");
                if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a!.GetValue<string>() == text))
                    errors.Add($"{path}: '{text}' is not one of its values");
                break;
            case "integer" when value is JsonValue n && n.GetValueKind() == JsonValueKind.Number:
                break;
            case "boolean" when value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                break;
            default:
                errors.Add($"{path}: a {value.GetValueKind()} where the schema has {type}{(format is null ? "" : $" ({format})")}");
                break;
        }
    }
}
