namespace Mailroom.Server.WebConsole.Contacts;

/// <summary>A contact as typed into the form: addresses one per line (or separated by commas).</summary>
internal sealed class ContactForm
{
    public string? ExternalId { get; set; }
    public string? Name { get; set; }
    public string? Addresses { get; set; }

    public static IReadOnlyList<string> Lines(string? text) =>
        [.. (text ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The contact's page, by query: the external id is the application's and may hold any character, a slash too.</summary>
    public static string PathOf(string externalId) => "/contact?id=" + Uri.EscapeDataString(externalId);
}
