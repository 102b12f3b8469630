using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Mailroom.TestSupport.Graph;

/// <summary>
/// Graph's official v1.0 CSDL (microsoftgraph/msgraph-metadata, in ../shared/providers/graph), loaded with
/// Microsoft.OData.Edm: checks that JSON uses the entity types' real property names and types, so that neither the
/// fake nor the connector can drift from Graph. Absent on a machine without the shared folder: <see cref="Path"/> is
/// then null and the tests that need it say so.
/// </summary>
public static class GraphCsdl
{
    public const string RelativePath = "shared/providers/graph/cleanMetadata-v1.0.xml";

    private static readonly Lazy<IEdmModel?> Model = new(Load);

    /// <summary>Where the CSDL is (found above the test's folder, or in MAILROOM_PROVIDERS), or null.</summary>
    public static string? Path { get; } = Find();

    public static bool Available => Path is not null;

    /// <summary>What in <paramref name="json"/> the entity or complex type <paramref name="type"/> (e.g. "message") does not allow.</summary>
    public static List<string> Check(string type, JsonObject json)
    {
        var errors = new List<string>();
        Check(Type(type), json, type, errors);
        return errors;
    }

    /// <summary>The names in a <c>$select</c> that are not properties of <paramref name="type"/>.</summary>
    public static List<string> UnknownProperties(string type, IEnumerable<string> names)
    {
        var t = Type(type);
        return [.. names.Where(n => t.FindProperty(n) is null)];
    }

    private static IEdmStructuredType Type(string name) =>
        (Model.Value ?? throw new InvalidOperationException($"The Graph CSDL is absent (../{RelativePath})."))
            .FindDeclaredType("microsoft.graph." + name) as IEdmStructuredType ?? throw new ArgumentException($"no type microsoft.graph.{name}", nameof(name));

    private static void Check(IEdmStructuredType type, JsonObject json, string path, List<string> errors)
    {
        foreach (var (name, value) in json)
        {
            if (name.StartsWith('@') || name.Contains("@odata.", StringComparison.Ordinal))
                continue; // instance annotations (@odata.*, @removed), not properties
            if (type.FindProperty(name) is not { } property)
            {
                if (type.IsOpen)
                    continue; // an open type (resourceData) takes dynamic properties
                errors.Add($"{path}.{name}: not a property of {type.FullTypeName()}");
                continue;
            }
            CheckValue(property.Type, value, $"{path}.{name}", errors);
        }
    }

    private static void CheckValue(IEdmTypeReference type, JsonNode? value, string path, List<string> errors)
    {
        if (value is null)
        {
            if (!type.IsNullable)
                errors.Add($"{path}: null, but not nullable");
            return;
        }
        if (type.IsCollection())
        {
            if (value is not JsonArray array)
            {
                errors.Add($"{path}: not an array ({type.FullName()})");
                return;
            }
            var element = type.AsCollection().ElementType();
            for (var i = 0; i < array.Count; i++)
                CheckValue(element, array[i], $"{path}[{i}]", errors);
            return;
        }
        if (type.IsEnum())
        {
            var members = type.AsEnum().EnumDefinition().Members.Select(m => m.Name);
            if (value.GetValueKind() != System.Text.Json.JsonValueKind.String || !members.Contains(value.GetValue<string>()))
                errors.Add($"{path}: not a member of {type.FullName()}");
            return;
        }
        if (type.IsStructured())
        {
            if (value is JsonObject obj)
                Check(type.AsStructured().StructuredDefinition(), obj, path, errors);
            else
                errors.Add($"{path}: not an object ({type.FullName()})");
            return;
        }
        var kind = value.GetValueKind();
        var ok = type.PrimitiveKind() switch
        {
            EdmPrimitiveTypeKind.String => kind == System.Text.Json.JsonValueKind.String,
            EdmPrimitiveTypeKind.Boolean => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64 or EdmPrimitiveTypeKind.Int16 => kind == System.Text.Json.JsonValueKind.Number,
            EdmPrimitiveTypeKind.DateTimeOffset => kind == System.Text.Json.JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _),
            EdmPrimitiveTypeKind.Guid => kind == System.Text.Json.JsonValueKind.String && Guid.TryParse(value.GetValue<string>(), out _),
            EdmPrimitiveTypeKind.Binary => kind == System.Text.Json.JsonValueKind.String,
            _ => true,
        };
        if (!ok)
            errors.Add($"{path}: {kind} is not {type.FullName()}");
    }

    private static IEdmModel? Load()
    {
        if (Path is null)
            return null;
        using var reader = XmlReader.Create(Path);
        if (!CsdlReader.TryParse(reader, out var model, out var errors))
            throw new InvalidOperationException($"The Graph CSDL at {Path} does not load: {string.Join("; ", errors.Take(5))}");
        return model;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_PROVIDERS") is { Length: > 0 } root)
        {
            var candidate = System.IO.Path.Combine(root, "graph", "cleanMetadata-v1.0.xml");
            return File.Exists(candidate) ? candidate : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
