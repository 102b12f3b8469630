using System.Text;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Mailroom.Storage.Model;

/// <summary>
/// snake_case columns and constraint names (tables are named explicitly), so hand-written SQL and psql sessions
/// need no quoting, and both providers get the same names.
/// </summary>
internal static class SnakeCaseNames
{
    public static void Apply(IMutableModel model)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnakeCase(property.Name));
            foreach (var key in entity.GetKeys())
                key.SetName(key.IsPrimaryKey() ? $"pk_{table}" : $"ak_{table}_{Columns(key.Properties)}");
            foreach (var foreignKey in entity.GetForeignKeys())
                foreignKey.SetConstraintName($"fk_{table}_{foreignKey.PrincipalEntityType.GetTableName()}_{Columns(foreignKey.Properties)}");
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName($"{(index.IsUnique ? "ux" : "ix")}_{table}_{Columns(index.Properties)}");
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !char.IsUpper(name[i - 1]))
                    builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Columns(IEnumerable<IReadOnlyProperty> properties) =>
        string.Join('_', properties.Select(p => ToSnakeCase(p.Name)));
}
