namespace Mailroom.Core.Contacts;

/// <summary>A contact as the application gives it (API, CLI or one CSV row).</summary>
/// <param name="ExternalId">The application's id for the contact.</param>
/// <param name="Name">The name to show.</param>
/// <param name="Addresses">Addresses as typed; <see cref="Validate"/> normalizes them.</param>
public sealed record ContactInput(string ExternalId, string Name, IReadOnlyList<string> Addresses)
{
    /// <summary>Longest external id and name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>The problem with this input, or null; <paramref name="normalized"/> holds the distinct normalized addresses.</summary>
    public string? Validate(out IReadOnlyList<string> normalized)
    {
        normalized = [];
        if (string.IsNullOrWhiteSpace(ExternalId))
            return "the external id is empty";
        if (ExternalId.Length > MaxLength || Name.Length > MaxLength)
            return $"the external id and the name must be at most {MaxLength} characters";
        if (string.IsNullOrWhiteSpace(Name))
            return "the name is empty";
        if (Addresses.Count == 0)
            return "a contact needs at least one address";
        var list = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var address in Addresses)
        {
            if (ContactAddresses.Normalize(address) is not { } value)
                return $"'{address}' is not an email address";
            list.Add(value);
        }

        normalized = [.. list];
        return null;
    }
}
