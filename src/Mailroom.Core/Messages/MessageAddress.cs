namespace Mailroom.Core.Messages;

/// <summary>A mailbox address as written in a header, with its display name decoded.</summary>
/// <param name="Name">The decoded display name, or null when there is none.</param>
/// <param name="Address">The addr-spec (local@domain); the domain is IDN-decoded to Unicode.</param>
public sealed record MessageAddress(string? Name, string Address)
{
    /// <summary>The form used to match addresses: lower-case, Unicode domain.</summary>
    public string Normalized => Address.ToLowerInvariant();

    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(Name) ? Address : $"{Name} <{Address}>";
}
