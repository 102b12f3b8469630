using System.CommandLine;

namespace Mailroom.Server.Cli;

/// <summary>Options every command understands.</summary>
internal static class CliOptions
{
    public static readonly Option<string> Data = new("--data")
    {
        Description = "Data folder: SQLite database, key ring. Default ./data (or MAILROOM__DataPath).",
        Recursive = true,
    };

    public static readonly Option<string> Db = new("--db")
    {
        Description = "PostgreSQL connection string instead of the embedded SQLite database (or MAILROOM__Storage__ConnectionString).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of text.",
    };
}
