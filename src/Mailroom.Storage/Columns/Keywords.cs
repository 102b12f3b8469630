namespace Mailroom.Storage.Columns;

/// <summary>IMAP keywords are atoms (no spaces), so a folder membership keeps them as one space-separated text.</summary>
internal static class Keywords
{
    public static string Join(IReadOnlyList<string> keywords) => keywords.Count == 0 ? "" : string.Join(' ', keywords);

    public static IReadOnlyList<string> Split(string keywords) =>
        keywords.Length == 0 ? [] : keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
